using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Sip.Transport;

/// <summary>
/// SIP over TCP, or over TLS on TCP when given a <see cref="TlsContext"/> (RFC 3261 §26.2): a listener plus every
/// open connection, accepted or connected, each framed by Content-Length (RFC 3261 §18.3). Connections are kept
/// open and reused for later messages to the same remote (RFC 3261 §18).
/// </summary>
public sealed class TcpTransport : ISipTransport
{
    private const int ListenBacklog = 1024;

    // Pause after a failed accept (e.g. out of file descriptors) so the loop does not spin; not protocol timing.
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly ConcurrentDictionary<long, TcpConnection> _connections = new();
    private readonly ConcurrentDictionary<IPEndPoint, TcpConnection> _byRemote = new();
    private readonly ConcurrentDictionary<IPEndPoint, Task<TcpConnection?>> _connecting = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private IPacketSink? _sink;
    private int _disposed;

    public TcpTransport(
        ListenPoint listenPoint,
        TransportOptions options,
        Meter meter,
        ILogger<TcpTransport> logger,
        TimeProvider? timeProvider = null,
        TlsContext? tls = null)
    {
        ArgumentNullException.ThrowIfNull(listenPoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        var expected = tls is null ? TransportProtocol.Tcp : TransportProtocol.Tls;
        if (listenPoint.Protocol != expected)
        {
            throw new ArgumentException(
                listenPoint.Protocol == TransportProtocol.Tls ? $"{listenPoint} needs a certificate (Sip:Tls)." : $"{listenPoint} is not a {ListenPoint.Scheme(expected)} listen point.",
                nameof(listenPoint));
        }

        ListenPoint = listenPoint;
        LocalEndPoint = listenPoint.EndPoint;
        Options = options;
        Tls = tls;
        Metrics = new TransportMetrics(meter, listenPoint.Protocol);
        Logger = logger;
        Time = timeProvider ?? TimeProvider.System;
        _stoppingToken = _stopping.Token;
    }

    public TransportProtocol Protocol => ListenPoint.Protocol;

    public ListenPoint ListenPoint { get; }

    public IPEndPoint LocalEndPoint { get; private set; }

    /// <summary>Connections currently open, accepted and outgoing.</summary>
    public int ConnectionCount => _connections.Count;

    internal TransportOptions Options { get; }

    /// <summary>Set on a TLS transport: every connection runs its handshake before any SIP passes.</summary>
    internal TlsContext? Tls { get; }

    internal TransportMetrics Metrics { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    internal IPacketSink Sink => _sink ?? throw new InvalidOperationException("The transport is not started.");

    public void Start(IPacketSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.CompareExchange(ref _sink, sink, null) is not null)
        {
            throw new InvalidOperationException("The transport is already started.");
        }

        var listener = new Socket(ListenPoint.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(ListenPoint.EndPoint);
            listener.Listen(ListenBacklog);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _listener = listener;
        TransportLog.Listening(Logger, ListenPoint, LocalEndPoint);
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener));
    }

    public async ValueTask<SendResult> SendAsync(
        ReadOnlyMemory<byte> data,
        IPEndPoint remote,
        IStreamConnection? preferred = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remote);

        // RFC 3261 §18.2.2: a response goes back on the connection its request came in on, while it is open.
        if (preferred is { IsOpen: true }
            && await preferred.SendAsync(data, cancellationToken).ConfigureAwait(false) == SendResult.Sent)
        {
            return SendResult.Sent;
        }

        if (_sink is null || _stoppingToken.IsCancellationRequested)
        {
            return SendResult.NoTransport;
        }

        var connection = await GetOrConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        return connection is null
            ? SendResult.ConnectFailed
            : await connection.SendAsync(data, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var open = _connections.Values.ToArray();
        foreach (var connection in open)
        {
            connection.Close("transport stopped");
        }

        await Task.WhenAll(open.Select(c => c.Completion)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        Tls?.Dispose();
        if (_listener is not null)
        {
            TransportLog.Stopped(Logger, ListenPoint);
        }
    }

    internal void OnClosed(TcpConnection connection)
    {
        _connections.TryRemove(connection.Id, out _);
        _byRemote.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(connection.Remote, connection));
        Metrics.ConnectionClosed();
        TransportLog.ConnectionClosed(Logger, connection.Id, connection.Remote, connection.CloseReason);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stoppingToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stoppingToken).ConfigureAwait(false);
            }
            catch (Exception) when (_stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                TransportLog.AcceptFailed(Logger, LocalEndPoint, ex.SocketErrorCode);
                await Task.Delay(AcceptRetryDelay, _stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            if (_connections.Count >= Options.MaxTcpConnections)
            {
                Metrics.ConnectionRejected();
                TransportLog.ConnectionRejected(Logger, socket.RemoteEndPoint as IPEndPoint, Options.MaxTcpConnections);
                socket.Dispose();
                continue;
            }

            try
            {
                Open(socket, "accepted from", isClient: false);
            }
            catch (SocketException ex)
            {
                // Reset before it could be set up; nothing was registered yet.
                TransportLog.AcceptFailed(Logger, LocalEndPoint, ex.SocketErrorCode);
                socket.Dispose();
            }
        }
    }

    // Concurrent sends to one remote share a single connect attempt.
    private async ValueTask<TcpConnection?> GetOrConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        if (_byRemote.TryGetValue(remote, out var existing) && existing.IsOpen)
        {
            return existing;
        }

        var attempt = new TaskCompletionSource<TcpConnection?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = _connecting.GetOrAdd(remote, attempt.Task);
        if (pending != attempt.Task)
        {
            return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        TcpConnection? connection = null;
        try
        {
            connection = await ConnectAsync(remote).ConfigureAwait(false);
            return connection;
        }
        finally
        {
            _connecting.TryRemove(new KeyValuePair<IPEndPoint, Task<TcpConnection?>>(remote, attempt.Task));
            attempt.TrySetResult(connection);
        }
    }

    // The connect is not tied to one caller's token: other senders may be waiting on the same attempt.
    private async Task<TcpConnection?> ConnectAsync(IPEndPoint remote)
    {
        if (_byRemote.TryGetValue(remote, out var existing) && existing.IsOpen)
        {
            return existing;
        }

        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Options.TcpConnectTimeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stoppingToken);
        try
        {
            // Leave from the listening address when it is a specific one, so the peer sees the address we advertise.
            var listenAddress = ListenPoint.EndPoint.Address;
            if (listenAddress.AddressFamily == remote.AddressFamily
                && !listenAddress.Equals(IPAddress.Any) && !listenAddress.Equals(IPAddress.IPv6Any))
            {
                socket.Bind(new IPEndPoint(listenAddress, 0));
            }

            await socket.ConnectAsync(remote, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            TransportLog.ConnectFailed(Logger, remote, timeout.IsCancellationRequested ? "timed out" : ex.Message);
            return null;
        }

        // On TLS a connection is of use only once its handshake succeeded; a failed one counts as a failed connect.
        var connection = Open(socket, "connected to", isClient: true);
        return await connection.Ready.ConfigureAwait(false) ? connection : null;
    }

    private TcpConnection Open(Socket socket, string direction, bool isClient)
    {
        // A connection serves whoever uses it later, so its read loop and idle timer capture no execution context:
        // opened by one call's B-leg, they would otherwise carry that call's log scope into every message read here.
        using var noFlow = ExecutionContext.SuppressFlow();
        socket.NoDelay = true;
        var connection = new TcpConnection(socket, this, isClient);
        _connections[connection.Id] = connection;
        _byRemote[connection.Remote] = connection;
        Metrics.ConnectionOpened();
        TransportLog.ConnectionOpened(Logger, connection.Id, direction, connection.Remote);
        connection.Start();

        // A connection that raced with DisposeAsync's sweep is closed here instead.
        if (_stoppingToken.IsCancellationRequested)
        {
            connection.Close("transport stopped");
        }

        return connection;
    }
}
