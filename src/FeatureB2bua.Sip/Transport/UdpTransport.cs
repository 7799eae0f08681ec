using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Sip.Transport;

/// <summary>SIP over UDP: one socket, one receive loop, one datagram per message (RFC 3261 §18).</summary>
public sealed class UdpTransport : ISipTransport
{
    // Largest UDP payload over IPv4/IPv6 without jumbograms; the receive buffer never truncates a datagram.
    private const int MaxDatagramSize = 65535;

    // Windows reports an ICMP port-unreachable of an earlier send as a receive error unless this is turned off.
    private const int SioUdpConnReset = unchecked((int)0x9800000C);

    private readonly TransportOptions _options;
    private readonly TransportMetrics _metrics;
    private readonly ILogger<UdpTransport> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private Task _receiveLoop = Task.CompletedTask;
    private IPacketSink? _sink;
    private int _disposed;

    public UdpTransport(ListenPoint listenPoint, TransportOptions options, Meter meter, ILogger<UdpTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(listenPoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        if (listenPoint.Protocol != TransportProtocol.Udp)
        {
            throw new ArgumentException($"{listenPoint} is not a UDP listen point.", nameof(listenPoint));
        }

        ListenPoint = listenPoint;
        LocalEndPoint = listenPoint.EndPoint;
        _options = options;
        _metrics = new TransportMetrics(meter, TransportProtocol.Udp);
        _logger = logger;
    }

    public TransportProtocol Protocol => TransportProtocol.Udp;

    public ListenPoint ListenPoint { get; }

    public IPEndPoint LocalEndPoint { get; private set; }

    public void Start(IPacketSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.CompareExchange(ref _sink, sink, null) is not null)
        {
            throw new InvalidOperationException("The transport is already started.");
        }

        var socket = new Socket(ListenPoint.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            SetReceiveBufferSize(socket);
            if (OperatingSystem.IsWindows())
            {
                socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
            }

            socket.Bind(ListenPoint.EndPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _socket = socket;
        TransportLog.Listening(_logger, ListenPoint, LocalEndPoint);
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(socket, sink, _stopping.Token));
    }

    /// <summary>Sends one datagram from the listening socket, so replies come back to the listen port (RFC 3581). Thread-safe.</summary>
    public SendResult Send(ReadOnlySpan<byte> data, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var socket = _socket;
        if (socket is null || Volatile.Read(ref _disposed) != 0)
        {
            return SendResult.NoTransport;
        }

        try
        {
            socket.SendTo(data, SocketFlags.None, remote);
            return SendResult.Sent;
        }
        catch (SocketException ex)
        {
            TransportLog.UdpSendFailed(_logger, data.Length, remote, ex.SocketErrorCode);
            return SendResult.Failed;
        }
        catch (ObjectDisposedException)
        {
            return SendResult.NoTransport;
        }
    }

    public ValueTask<SendResult> SendAsync(
        ReadOnlyMemory<byte> data,
        IPEndPoint remote,
        IStreamConnection? preferred = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(Send(data.Span, remote));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        if (_socket is not null)
        {
            TransportLog.Stopped(_logger, ListenPoint);
        }
    }

    // Linux silently caps SO_RCVBUF at net.core.rmem_max, other systems refuse values above their limit:
    // either way the socket still works with the size the OS allows.
    private void SetReceiveBufferSize(Socket socket)
    {
        try
        {
            socket.ReceiveBufferSize = _options.UdpReceiveBufferSize;
        }
        catch (SocketException ex)
        {
            TransportLog.UdpReceiveBufferRefused(_logger, _options.UdpReceiveBufferSize, ex.SocketErrorCode);
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, IPacketSink sink, CancellationToken stopping)
    {
        // One pinned buffer for the socket's lifetime: the receive copies each datagram into it.
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagramSize, pinned: true);

        // The SocketAddress overload (.NET 8+) fills this in place and allocates nothing per datagram; an
        // IPEndPoint is only made for the sink, and reused while datagrams keep coming from the same peer.
        var address = new SocketAddress(socket.AddressFamily);
        var lastAddress = new SocketAddress(socket.AddressFamily);
        IPEndPoint? lastRemote = null;

        while (!stopping.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await socket.ReceiveFromAsync(buffer, SocketFlags.None, address, stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.HostUnreachable
                or SocketError.NetworkUnreachable or SocketError.ConnectionRefused)
            {
                // The ICMP error belongs to an earlier send; the socket itself is fine.
                TransportLog.UdpIcmpError(_logger, LocalEndPoint, ex.SocketErrorCode);
                continue;
            }
            catch (SocketException ex)
            {
                TransportLog.UdpReceiveFailed(_logger, LocalEndPoint, ex.SocketErrorCode);
                continue;
            }

            if (lastRemote is null || !address.Equals(lastAddress))
            {
                lastRemote = (IPEndPoint)LocalEndPoint.Create(address);
                address.Buffer.Span.CopyTo(lastAddress.Buffer.Span);
                lastAddress.Size = address.Size;
            }

            Deliver(sink, buffer.AsMemory(0, length), lastRemote);
        }
    }

    private void Deliver(IPacketSink sink, ReadOnlyMemory<byte> datagram, IPEndPoint remote)
    {
        // Keep-alives on UDP are STUN (RFC 5626 §4.4.2); bare CRLFs some clients send anyway carry nothing.
        if (datagram.Span.IndexOfAnyExcept((byte)'\r', (byte)'\n') < 0)
        {
            return;
        }

        var packet = new ReceivedPacket(datagram, TransportProtocol.Udp, remote, LocalEndPoint, connection: null);
        try
        {
            if (datagram.Length > _options.MaxMessageSize)
            {
                _metrics.Dropped(DropReason.Oversize);
                TransportLog.UdpOversize(_logger, datagram.Length, remote);
                sink.OnOversize(packet);
            }
            else
            {
                _metrics.Received();
                sink.OnPacket(packet);
            }
        }
        catch (Exception ex)
        {
            // Whatever the sink does, the loop must keep receiving for everyone else.
            _metrics.Dropped(DropReason.SinkError);
            TransportLog.SinkFailed(_logger, ex, TransportProtocol.Udp, remote);
        }
    }
}
