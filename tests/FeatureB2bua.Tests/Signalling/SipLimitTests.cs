using System.Text;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;
using FeatureB2bua.Tests.Observability;

namespace FeatureB2bua.Tests.Signalling;

/// <summary>
/// The SIP stack's limits on the wire, each on a server of its own so each counter starts at zero: header and Via
/// counts (400 naming them), message size (513), open transactions (503) and TCP connections (closed at once).
/// Each scrapes /metrics, so none runs beside another server of this process (<see cref="MetricsCollection"/>).
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class SipLimitTests
{
    private static readonly string[] Limits = ["message_size", "headers", "vias", "calls", "calls_per_subscriber", "transactions", "tcp_connections"];

    [Fact]
    public async Task TooManyHeaders_Gets400TooManyHeaders_AndIsCounted()
    {
        await using var server = await ServerFixture.StartAsync("--Limits:MaxHeaders=20");
        using var client = new UdpSipClient(server.UdpEndPoint);

        client.Send(Options("fine", Fillers(20 - 7)));
        Assert.Equal(200, (await client.ReceiveFinalAsync()).StatusCode);
        client.Send(Options("too-many", Fillers(20 - 6)));
        var refusal = await client.ReceiveFinalAsync();

        Assert.Equal(400, refusal.StatusCode);
        Assert.Equal("Too Many Headers", refusal.ReasonPhrase);
        Assert.Equal("too-many", refusal.CallId);
        Assert.Equal(1, await RejectionsAsync(server, "headers"));
    }

    [Fact]
    public async Task TooManyHeaders_WithoutAVia_IsDroppedAndCounted()
    {
        await using var server = await ServerFixture.StartAsync("--Limits:MaxHeaders=20");
        using var client = new UdpSipClient(server.UdpEndPoint);

        var noVia = string.Join('\n', Options("no-via", Fillers(30)).Split('\n').Where(l => !l.StartsWith("Via:", StringComparison.Ordinal)));
        client.Send(noVia);

        Assert.Null(await client.ReceiveAsync(500));
        Assert.Equal(1, await RejectionsAsync(server, "headers"));
    }

    [Fact]
    public async Task TooManyVias_Gets400TooManyViaHeaders_WithTheViasItKept()
    {
        await using var server = await ServerFixture.StartAsync("--Limits:MaxVias=4");
        using var client = new UdpSipClient(server.UdpEndPoint);
        var proxies = string.Concat(Enumerable.Range(1, 4).Select(i => $"Via: SIP/2.0/UDP proxy{i}.example.test;branch=z9hG4bKp{i}\n"));

        client.Send(Options("four", string.Concat(Enumerable.Range(1, 3).Select(i => $"Via: SIP/2.0/UDP proxy{i}.example.test;branch=z9hG4bKp{i}\n"))));
        Assert.Equal(200, (await client.ReceiveFinalAsync()).StatusCode);
        client.Send(Options("five", proxies));
        var refusal = await client.ReceiveFinalAsync();

        Assert.Equal(400, refusal.StatusCode);
        Assert.Equal("Too Many Via Headers", refusal.ReasonPhrase);
        Assert.Equal(4, refusal.Vias!.Count);
        Assert.Equal(1, await RejectionsAsync(server, "vias"));
    }

    [Fact]
    public async Task OversizeUdpRequest_Gets513MessageTooLarge()
    {
        await using var server = await ServerFixture.StartAsync("--Sip:Transport:MaxMessageSize=1500");
        using var client = new UdpSipClient(server.UdpEndPoint);

        // RFC 3261 §21.5.11 (and §18.1.1: over UDP a message this size should have gone by TCP).
        client.Send(Options("oversize", $"X-Padding: {new string('a', 2000)}\n"));
        var refusal = await client.ReceiveFinalAsync();

        Assert.Equal(513, refusal.StatusCode);
        Assert.Equal("Message Too Large", refusal.ReasonPhrase);
        Assert.Equal("oversize", refusal.CallId);
        Assert.Equal(1, await RejectionsAsync(server, "message_size"));
        Assert.Equal(1500, (await CallLimitTests.ScrapeAsync(server)).Value("b2bua_limit", ("limit", "message_size")));
    }

    [Fact]
    public async Task MaxTransactions_NewRequestGets503_WhileOpenTransactionsGoOn()
    {
        await using var server = await ServerFixture.StartAsync("--Limits:MaxTransactions=3");
        using var client = new UdpSipClient(server.UdpEndPoint);
        var start = await CallLimitTests.ScrapeAsync(server);
        Assert.All(Limits, limit => Assert.Equal(0, start.Value("b2bua_limit_rejections_total", ("limit", limit))));

        // Each answered OPTIONS keeps its transaction open for Timer J (64*T1 over UDP, RFC 3261 §17.2.2).
        for (var i = 0; i < 3; i++)
        {
            client.Send(Options($"open-{i}"));
            Assert.Equal(200, (await client.ReceiveFinalAsync()).StatusCode);
        }

        client.Send(Options("one-too-many"));
        var refusal = await client.ReceiveFinalAsync();
        client.Send(Options("open-0"));
        var retransmission = await client.ReceiveFinalAsync();

        Assert.Equal(503, refusal.StatusCode);
        Assert.Equal("Transaction Limit Reached", refusal.ReasonPhrase);
        Assert.Equal("5", refusal.GetHeader(HeaderId.RetryAfter));
        Assert.Equal((200, "open-0"), (retransmission.StatusCode, retransmission.CallId));
        var metrics = await CallLimitTests.ScrapeAsync(server);
        Assert.Equal(1, metrics.Value("b2bua_limit_rejections_total", ("limit", "transactions")));
        Assert.Equal(3, metrics.Value("b2bua_sip_transactions_active", ("kind", "server")));
    }

    [Fact]
    public async Task MaxTcpConnections_AConnectionBeyondIsClosedAtOnce_TheOthersServed()
    {
        await using var server = await ServerFixture.StartAsync("--Sip:Transport:MaxTcpConnections=2");
        using var first = await TcpSipClient.ConnectAsync(server.TcpEndPoint);
        using var second = await TcpSipClient.ConnectAsync(server.TcpEndPoint);
        await first.SendAsync(Options("tcp-1").Replace("SIP/2.0/UDP", "SIP/2.0/TCP", StringComparison.Ordinal));
        await second.SendAsync(Options("tcp-2").Replace("SIP/2.0/UDP", "SIP/2.0/TCP", StringComparison.Ordinal));
        Assert.Equal(200, (await first.ReceiveAsync()).StatusCode);
        Assert.Equal(200, (await second.ReceiveAsync()).StatusCode);

        using var third = await TcpSipClient.ConnectAsync(server.TcpEndPoint);

        Assert.True(await third.IsClosedByServerAsync());
        Assert.Equal(1, await RejectionsAsync(server, "tcp_connections"));
        var metrics = await CallLimitTests.ScrapeAsync(server);
        Assert.Equal(2, metrics.Value("b2bua_transport_connections_open", ("protocol", "tcp")));
    }

    private static async Task<double?> RejectionsAsync(ServerFixture server, string limit) =>
        (await CallLimitTests.ScrapeAsync(server)).Value("b2bua_limit_rejections_total", ("limit", limit));

    /// <param name="extraHeaders">Header lines, each ending in a newline, after the client's own Via.</param>
    private static string Options(string callId, string extraHeaders = "") =>
        SipText.Request("OPTIONS", "sip:example.test", branch: "z9hG4bK" + callId, callId: callId, extraHeaders: extraHeaders);

    /// <summary><paramref name="count"/> X- header lines; SipText's requests have seven headers of their own.</summary>
    private static string Fillers(int count) =>
        new StringBuilder().AppendJoin(string.Empty, Enumerable.Range(0, count).Select(i => $"X-Filler-{i}: {i}\n")).ToString();
}
