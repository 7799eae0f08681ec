using System.Net;
using System.Net.Sockets;
using System.Text;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>A bare TCP peer: writes raw bytes, reads back raw bytes or whole framed messages.</summary>
public sealed class TcpSipClient : IDisposable
{
    private readonly TcpClient _client = new();
    private readonly List<byte> _pending = [];

    private TcpSipClient()
    {
    }

    public static async Task<TcpSipClient> ConnectAsync(IPEndPoint server)
    {
        var client = new TcpSipClient();
        await client._client.ConnectAsync(server);
        return client;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_client.Client.LocalEndPoint!;

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(SipText.Normalize(text)));

    public async Task SendAsync(byte[] bytes) => await _client.GetStream().WriteAsync(bytes);

    /// <summary>Reads until <paramref name="count"/> bytes have arrived, or returns what came before the peer closed or the time ran out.</summary>
    public async Task<byte[]> ReadBytesAsync(int count, int timeoutMs = 2000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        var buffer = new byte[4096];
        try
        {
            while (_pending.Count < count)
            {
                var read = await _client.GetStream().ReadAsync(buffer, cts.Token);
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

    /// <summary>True when the server has closed its side.</summary>
    public async Task<bool> IsClosedByServerAsync(int timeoutMs = 2000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                if (await _client.GetStream().ReadAsync(buffer, cts.Token) == 0)
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

    public void Dispose() => _client.Dispose();
}
