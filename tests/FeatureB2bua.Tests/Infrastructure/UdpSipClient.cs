using System.Net;
using System.Net.Sockets;
using System.Text;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>A bare UDP peer for the tests: sends raw bytes, reads back parsed messages.</summary>
public sealed class UdpSipClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private IPEndPoint _server;

    /// <param name="bindTo">A fixed local address, for messages whose Via sends the answer to port 5060 (RFC 3261 §18.2.2).</param>
    public UdpSipClient(IPEndPoint server, IPEndPoint? bindTo = null)
    {
        _server = server;
        _socket.Bind(bindTo ?? new IPEndPoint(IPAddress.Loopback, 0));
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Where <see cref="Send(byte[])"/> goes; a callee learns it once the server is up.</summary>
    public IPEndPoint Server
    {
        get => _server;
        set => _server = value;
    }

    public void Send(byte[] datagram) => _socket.SendTo(datagram, _server);

    public void Send(string text) => Send(Encoding.UTF8.GetBytes(SipText.Normalize(text)));

    /// <summary>To somewhere else than <see cref="Server"/>, such as the sent-by of a request's Via (RFC 3261 §18.2.2).</summary>
    public void SendTo(byte[] datagram, IPEndPoint to) => _socket.SendTo(datagram, to);

    /// <summary>The next message, or null if none comes within the timeout.</summary>
    public async Task<SipMessage?> ReceiveAsync(int timeoutMs = 2000)
    {
        var buffer = new byte[65535];
        using var cts = new CancellationTokenSource(timeoutMs);
        while (true)
        {
            try
            {
                var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
                return SipParser.Parse(buffer.AsSpan(0, result.ReceivedBytes), out _);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted && !cts.IsCancellationRequested)
            {
                // A receive can come back aborted though its own token was not cancelled (a CI run saw it with 100
                // callers receiving at 100 ms timeouts); nothing was read, so whatever comes is still queued: receive again.
            }
        }
    }

    /// <summary>The next final response, skipping provisionals.</summary>
    public async Task<SipMessage> ReceiveFinalAsync(int timeoutMs = 2000)
    {
        while (true)
        {
            var message = await ReceiveAsync(timeoutMs) ?? throw new TimeoutException("No final response arrived.");
            if (message.IsResponse && message.StatusCode >= 200)
            {
                return message;
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
