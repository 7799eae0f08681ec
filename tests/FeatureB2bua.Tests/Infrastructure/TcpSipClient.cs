using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>A bare TCP or TLS peer: writes raw bytes, reads back raw bytes or whole framed messages.</summary>
public sealed class TcpSipClient : IDisposable
{
    private readonly TcpClient _client;
    private readonly List<byte> _pending = [];
    private Stream _stream;

    private TcpSipClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <param name="bindTo">The local address to connect from, to be a source the server does not trust, say.</param>
    public static async Task<TcpSipClient> ConnectAsync(IPEndPoint server, IPEndPoint? bindTo = null)
    {
        var tcp = bindTo is null ? new TcpClient() : new TcpClient(bindTo);
        await tcp.ConnectAsync(server);
        return new TcpSipClient(tcp);
    }

    /// <summary>A phone on TLS that accepts the server's certificate only if it is <paramref name="server"/>, offering <paramref name="protocols"/>.</summary>
    public static async Task<TcpSipClient> ConnectTlsAsync(IPEndPoint server, TestCertificate trusted, SslProtocols protocols = SslProtocols.Tls12 | SslProtocols.Tls13, IPEndPoint? bindTo = null)
    {
        var client = await ConnectAsync(server, bindTo);
        var ssl = new SslStream(client._stream, leaveInnerStreamOpen: false, (_, presented, _, _) => trusted.IsPresentedBy(presented));
        client._stream = ssl;
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", EnabledSslProtocols = protocols });
        return client;
    }

    /// <summary>The server side of one TLS connection to <paramref name="listener"/>, as an upstream with <paramref name="certificate"/> takes it.</summary>
    public static async Task<TcpSipClient> AcceptTlsAsync(TcpListener listener, X509Certificate2 certificate)
    {
        var client = new TcpSipClient(await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        var ssl = new SslStream(client._stream, leaveInnerStreamOpen: false);
        client._stream = ssl;
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 });
        return client;
    }

    /// <summary>The TLS version agreed; none on plain TCP.</summary>
    public SslProtocols NegotiatedProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_client.Client.LocalEndPoint!;

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(SipText.Normalize(text)));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Reads until <paramref name="count"/> bytes have arrived, or returns what came before the peer closed or the time ran out.</summary>
    public async Task<byte[]> ReadBytesAsync(int count, int timeoutMs = 2000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        var buffer = new byte[4096];
        try
        {
            while (_pending.Count < count)
            {
                var read = await _stream.ReadAsync(buffer, cts.Token);
                if (read == 0)
                {
                    break;
                }

                _pending.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }

        var taken = _pending.Take(count).ToArray();
        _pending.RemoveRange(0, taken.Length);
        return taken;
    }

    /// <summary>The next whole message (headers and Content-Length body).</summary>
    public async Task<SipMessage> ReceiveAsync(int timeoutMs = 2000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            var bytes = _pending.ToArray();
            var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = SipParser.Parse(bytes.AsSpan(0, end + 4), out _)!;
                var total = end + 4 + int.Parse(head.GetHeader(HeaderId.ContentLength) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                if (bytes.Length >= total)
                {
                    _pending.RemoveRange(0, total);
                    return SipParser.Parse(bytes.AsSpan(0, total), out _)!;
                }
            }

            var left = (int)(deadline - Environment.TickCount64);
            if (left <= 0)
            {
                throw new TimeoutException("No whole message arrived on the TCP connection.");
            }

            var more = await ReadBytesAsync(_pending.Count + 1, left);
            if (more.Length == 0)
            {
                throw new IOException("The server closed the connection.");
            }

            _pending.InsertRange(0, more);
        }
    }

    /// <summary>The next message <paramref name="wanted"/> picks, skipping others (a 100 Trying, say).</summary>
    public async Task<SipMessage> ReceiveAsync(Func<SipMessage, bool> wanted, int timeoutMs = 3000)
    {
        while (true)
        {
            var message = await ReceiveAsync(timeoutMs);
            if (wanted(message))
            {
                return message;
            }
        }
    }

    /// <summary>True when the server has closed its side.</summary>
    public async Task<bool> IsClosedByServerAsync(int timeoutMs = 2000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                if (await _stream.ReadAsync(buffer, cts.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
