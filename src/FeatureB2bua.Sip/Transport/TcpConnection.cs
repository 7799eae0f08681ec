using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace FeatureB2bua.Sip.Transport;

/// <summary>
/// One TCP connection, accepted or connected: on a TLS transport first a handshake within a deadline on the
/// transport's clock, then a read loop that frames messages for the sink, serialised writes, and an idle timer.
/// </summary>
internal sealed class TcpConnection : IStreamConnection, IDisposable
{
    private static readonly ReadOnlyMemory<byte> Pong = "\r\n"u8.ToArray();
    private static long s_nextId;

    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly TcpTransport _owner;
    private readonly bool _isClient;
    private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ITimer _idleTimer;
    private readonly CancellationTokenSource? _handshakeDeadline;

    // The network stream, or the SslStream over it once the handshake is done; the reader exists from then on.
    private Stream _stream;
    private PipeReader? _reader;
    private long _lastActivity;
    private int _closed;
    private string _closeReason = string.Empty;

    public TcpConnection(Socket socket, TcpTransport owner, bool isClient)
    {
        _socket = socket;
        _owner = owner;
        _isClient = isClient;
        Id = Interlocked.Increment(ref s_nextId);
        Remote = (IPEndPoint)socket.RemoteEndPoint!;
        Local = (IPEndPoint)socket.LocalEndPoint!;
        _network = new NetworkStream(socket, ownsSocket: true);
        _stream = _network;
        _lastActivity = owner.Time.GetTimestamp();

        // One timer per connection, never re-armed on traffic: when it fires it checks the last activity
        // and either closes or sleeps for the rest of the idle period.
        _idleTimer = owner.Time.CreateTimer(
            static state => ((TcpConnection)state!).OnIdleTimer(), this, owner.Options.TcpIdleTimeout, Timeout.InfiniteTimeSpan);

        // The handshake's deadline runs from here, so a connection that has a slot already has its deadline.
        if (owner.Tls is { } tls)
        {
            _handshakeDeadline = new CancellationTokenSource(tls.HandshakeTimeout, owner.Time);
        }
    }

    public long Id { get; }

    public IPEndPoint Remote { get; }

    public IPEndPoint Local { get; }

    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    /// <summary>Ends once the read loop has stopped and the transport has forgotten the connection.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public string CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>True once messages can pass (at once on TCP, after the handshake on TLS); false if it closed first.</summary>
    public Task<bool> Ready => _ready.Task;

    public void Start() => Completion = Task.Run(ReadLoopAsync);

    /// <summary>Writes one whole message; writers queue so two messages never interleave on the stream.</summary>
    public async ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        if (!IsOpen || !await _ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            return SendResult.ConnectionClosed;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsOpen)
            {
                return SendResult.ConnectionClosed;
            }

            // No caller token on the write itself: a write abandoned half-way would corrupt the stream.
            // A peer that stops reading stalls it until the idle timer closes the connection.
            await _stream.WriteAsync(message, CancellationToken.None).ConfigureAwait(false);
            Touch();
            return SendResult.Sent;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            TransportLog.WriteFailed(_owner.Logger, ex, Id, Remote);
            Close("write failed");
            return SendResult.ConnectionClosed;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes this connection only; idempotent and safe from any thread.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        Volatile.Write(ref _closeReason, reason);
        _idleTimer.Dispose();
        _ready.TrySetResult(false);
        Volatile.Read(ref _reader)?.CancelPendingRead();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already reset by the peer, or disposed by a TLS handshake that failed as its deadline fired: nothing left to shut down.
        }

        Volatile.Read(ref _stream).Dispose();
        _network.Dispose();
    }

    /// <summary>
    /// Same as <see cref="Close"/>. The write lock is left alone: writers may still be queued on it, and a
    /// SemaphoreSlim whose wait handle was never asked for holds nothing to release.
    /// </summary>
    public void Dispose() => Close("disposed");

    private void Touch() => Volatile.Write(ref _lastActivity, _owner.Time.GetTimestamp());

    private void OnIdleTimer()
    {
        var idleTimeout = _owner.Options.TcpIdleTimeout;
        var quiet = _owner.Time.GetElapsedTime(Volatile.Read(ref _lastActivity));
        if (quiet >= idleTimeout)
        {
            Close("idle");
            return;
        }

        try
        {
            _idleTimer.Change(idleTimeout - quiet, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile.
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            if (_owner.Tls is { } tls && !await HandshakeAsync(tls, _handshakeDeadline!).ConfigureAwait(false))
            {
                return;
            }

            var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
            Volatile.Write(ref _reader, reader);
            _ready.TrySetResult(true);
            if (!IsOpen)
            {
                return;
            }

            var keepReading = true;
            while (keepReading)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                var pings = 0;
                try
                {
                    if (!buffer.IsEmpty)
                    {
                        Touch();
                    }

                    keepReading = !result.IsCanceled && FrameAll(ref buffer, ref pings) && !result.IsCompleted;
                }
                finally
                {
                    // Whole frames are consumed; the rest was examined and waits for more bytes.
                    reader.AdvanceTo(buffer.Start, result.Buffer.End);
                }

                // RFC 5626 §4.4.1: each CRLFCRLF ping is answered with one CRLF pong.
                for (; pings > 0; pings--)
                {
                    await SendAsync(Pong).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The socket went away under the read.
        }
        finally
        {
            Close("closed by the remote");
            if (Volatile.Read(ref _reader) is { } reader)
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }

            _owner.OnClosed(this);
        }
    }

    /// <summary>
    /// RFC 3261 §26.2.1: TLS before any SIP. The deadline closes the socket, which ends a handshake stuck on a silent
    /// or trickling peer whatever it was waiting for; any failure closes this connection alone and is counted.
    /// </summary>
    private async Task<bool> HandshakeAsync(TlsContext tls, CancellationTokenSource deadline)
    {
        var ssl = new SslStream(_network, leaveInnerStreamOpen: false);
        using var disposeDeadline = deadline;
        using var onDeadline = deadline.Token.Register(static state => ((TcpConnection)state!).Close("TLS handshake timed out"), this);
        try
        {
            var handshake = _isClient ? tls.AuthenticateAsClientAsync(ssl, Remote, deadline.Token) : tls.AuthenticateAsServerAsync(ssl, deadline.Token);
            await handshake.ConfigureAwait(false);
            Volatile.Write(ref _stream, ssl);
            return true;
        }
        catch (Exception ex)
        {
            // Whatever a hostile ClientHello makes SslStream throw stays on this connection.
            await ssl.DisposeAsync().ConfigureAwait(false);
            var timedOut = deadline.IsCancellationRequested;
            _owner.Metrics.HandshakeFailed(timedOut);
            TransportLog.HandshakeFailed(_owner.Logger, Id, Remote, timedOut ? "timed out" : ex.Message);
            Close(timedOut ? "TLS handshake timed out" : "TLS handshake failed");
            return false;
        }
    }

    /// <summary>Hands every whole frame to the sink; false when the stream cannot be framed and was closed.</summary>
    private bool FrameAll(ref ReadOnlySequence<byte> buffer, ref int pings)
    {
        while (true)
        {
            var frame = StreamFramer.TryFrame(buffer, _owner.Options.MaxMessageSize, out var length);
            switch (frame)
            {
                case FrameResult.NeedMore:
                    return true;
                case FrameResult.Message:
                    Deliver(buffer.Slice(0, length));
                    break;
                case FrameResult.KeepAlivePing:
                    pings++;
                    break;
                case FrameResult.StrayCrlf:
                    break;
                default:
                    // RFC 3261 §18.3: past a bad frame there is no way to find the next message.
                    _owner.Metrics.Dropped(frame == FrameResult.Oversize ? DropReason.Oversize : DropReason.Framing);
                    TransportLog.FramingFailed(_owner.Logger, Id, Remote, frame);
                    Close(frame == FrameResult.Oversize ? "oversize message" : "framing error");
                    return false;
            }

            buffer = buffer.Slice(length);
        }
    }

    private void Deliver(in ReadOnlySequence<byte> message)
    {
        _owner.Metrics.Received();
        if (message.IsSingleSegment)
        {
            Hand(message.First);
            return;
        }

        // Only a message spanning segments is copied, into one pooled contiguous buffer.
        var length = (int)message.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            message.CopyTo(rented);
            Hand(rented.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Hand(ReadOnlyMemory<byte> data)
    {
        try
        {
            _owner.Sink.OnPacket(new ReceivedPacket(data, _owner.Protocol, Remote, Local, this));
        }
        catch (Exception ex)
        {
            _owner.Metrics.Dropped(DropReason.SinkError);
            TransportLog.SinkFailed(_owner.Logger, ex, _owner.Protocol, Remote);
        }
    }
}
