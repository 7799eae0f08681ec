using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace FeatureB2bua.Media.Anchor;

/// <summary>What a media port accepts as a packet.</summary>
internal enum PacketKind : byte
{
    Rtp,
    Rtcp,

    /// <summary>A stream that is not RTP (T.38 over UDPTL, say): any datagram.</summary>
    Any,
}

/// <summary>
/// One of our UDP ports, facing one party: what that party sends here goes out of the <see cref="Opposite"/> port to
/// the other party, and what the other party sends goes out of this one to the address this party's packets come from
/// (symmetric RTP latching, RFC 4961 §3: start at the address its SDP names, then follow its actual source, which is
/// what gets media through NAT). Read by the <see cref="EpollRelay"/> where there is one, else by a receive loop of
/// its own; per packet nothing is allocated: the buffer and the source address are the port's own.
/// </summary>
internal sealed class MediaPort : IDisposable
{
    /// <summary>The largest datagram relayed; the buffer holds one byte more, so that a bigger one shows as truncated.</summary>
    private const int MaxPacket = 2048;

    private readonly Socket _socket;
    private readonly MediaAnchor _anchor;
    private readonly EpollRelay? _relay;
    private readonly nint _fd;
    private readonly int _epoll;
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(MaxPacket + 1);
    private readonly SocketAddress _from;
    private IPEndPoint? _sdpRemote;
    private SocketAddress? _peer;
    private bool _latched;
    private long _lastPacketTimestamp;
    private long _received;
    private long _relayedPackets;
    private long _relayedBytes;
    private volatile bool _muted;
    private volatile bool _disposed;

    /// <param name="relay">The epoll loops that read this port's socket; null for an async receive loop of its own.</param>
    public MediaPort(Socket socket, int port, PacketKind kind, MediaAnchor anchor, EpollRelay? relay)
    {
        _socket = socket;
        _anchor = anchor;
        _relay = relay;
        Port = port;
        Kind = kind;
        _from = new SocketAddress(socket.AddressFamily, socket.AddressFamily == AddressFamily.InterNetworkV6 ? 28 : 16);
        if (relay is null)
        {
            _ = ReceiveLoopAsync();
        }
        else
        {
            _fd = socket.Handle;
            _epoll = relay.Add(this, _fd);
        }
    }

    public int Port { get; }

    public PacketKind Kind { get; set; }

    public MediaPort? Opposite { get; set; }

    /// <summary>Packets this port's party sent us, relayed or not: the sign of life supervision looks at.</summary>
    public long Received => Volatile.Read(ref _received);

    public long RelayedPackets => Volatile.Read(ref _relayedPackets);

    public long RelayedBytes => Volatile.Read(ref _relayedBytes);

    /// <summary>While set, nothing of the other party is sent out of this port (hold music plays here instead).</summary>
    public bool Muted
    {
        get => _muted;
        set => _muted = value;
    }

    /// <summary>
    /// Where this port's party said (in SDP) it receives. A new address starts latching again: the party moved, and
    /// its next packet shows from where; the same address again keeps the latch.
    /// </summary>
    public void SetRemote(IPEndPoint? remote)
    {
        if (Equals(remote, _sdpRemote))
        {
            return;
        }

        _sdpRemote = remote;
        _latched = false;
        Volatile.Write(ref _peer, remote?.Serialize());
    }

    /// <summary>Sends a packet of our own (hold music) to this port's party, if we know where it is.</summary>
    public void SendToPeer(ReadOnlySpan<byte> packet)
    {
        if (Volatile.Read(ref _peer) is { } peer && !_disposed)
        {
            Send(this, packet, peer);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _relay?.Remove(this, _fd, _epoll);
        _socket.Dispose();
    }

    /// <summary>
    /// Reads up to <paramref name="count"/> datagrams, stopping when the socket is empty; called by the relay thread this
    /// port belongs to when epoll says the socket is readable. One is the usual count: the epoll set is level-triggered,
    /// so a socket with more waiting is reported again, and a call's 50 packets a second seldom queue, so reading on to
    /// EAGAIN would cost a failed recvfrom nearly per packet. The packet path is compiled optimized at once: tiered
    /// compilation left it running unoptimized code under load.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Read(int count)
    {
        // The reference keeps the descriptor ours while it is read: a call ending on another thread closes the socket,
        // and a descriptor closed and reused by another socket must never be read here.
        var handle = _socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            for (var i = 0; i < count && !_disposed; i++)
            {
                var length = EpollRelay.Receive(_fd, _buffer, _from.Buffer.Span, out var addressLength);
                if (length < 0)
                {
                    return;
                }

                _from.Size = addressLength;
                OnReceived(length);
            }
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = _buffer.AsMemory();
        while (!_disposed)
        {
            int length;
            try
            {
                length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, _from).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // Closed under us, or an ICMP error reported on the socket: the loop goes on until disposed.
                continue;
            }

            OnReceived(length);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnReceived(int length)
    {
        if (length > MaxPacket)
        {
            // Only its first bytes were read: relaying them would hand the other party a corrupt packet.
            _anchor.Counters.Malformed();
            return;
        }

        OnDatagram(_buffer.AsSpan(0, length));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnDatagram(ReadOnlySpan<byte> packet)
    {
        var valid = Kind switch
        {
            PacketKind.Rtp => RtpCheck.IsRtp(packet),
            PacketKind.Rtcp => RtpCheck.IsRtcp(packet),
            _ => !packet.IsEmpty,
        };
        if (!valid)
        {
            _anchor.Counters.Malformed();
            return;
        }

        var peer = Volatile.Read(ref _peer);
        if (!_latched || peer is null)
        {
            Latch();
        }
        else if (!peer.Equals(_from))
        {
            if (!_anchor.MayRelatch(_lastPacketTimestamp))
            {
                // Someone else sending to this call's port: not relayed, so media cannot be hijacked.
                _anchor.Counters.ForeignSource();
                return;
            }

            Latch();
        }

        _received++;
        if (_anchor.TracksPacketTimes)
        {
            _lastPacketTimestamp = _anchor.Time.GetTimestamp();
        }

        if (Opposite is not { } opposite || opposite._muted)
        {
            return;
        }

        if (Volatile.Read(ref opposite._peer) is not { } destination)
        {
            _anchor.Counters.NoDestination();
            return;
        }

        if (Send(opposite, packet, destination))
        {
            _relayedPackets++;
            _relayedBytes += packet.Length;
        }
    }

    private void Latch()
    {
        var copy = new SocketAddress(_from.Family, _from.Size);
        _from.Buffer.Span[.._from.Size].CopyTo(copy.Buffer.Span);
        Volatile.Write(ref _peer, copy);
        _latched = true;
        _anchor.Counters.Latched();
    }

    /// <summary>Out of <paramref name="port"/>'s socket; with the epoll relay by sendto on its descriptor, held as <see cref="Read"/> holds it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Send(MediaPort port, ReadOnlySpan<byte> packet, SocketAddress destination)
    {
        var handle = port._socket.SafeHandle;
        var added = false;
        try
        {
            if (_relay is null)
            {
                port._socket.SendTo(packet, SocketFlags.None, destination);
                return true;
            }

            handle.DangerousAddRef(ref added);
            if (EpollRelay.Send(port._fd, packet, destination.Buffer.Span[..destination.Size]) >= 0)
            {
                return true;
            }

            _anchor.Counters.SendFailed();
            return false;
        }
        catch (SocketException)
        {
            _anchor.Counters.SendFailed();
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
