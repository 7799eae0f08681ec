using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Signalling;

/// <summary>The running server over TCP: responses on the request's connection, keep-alives, and oversize handling.</summary>
public sealed class TcpBehaviourTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static string TcpOptions(string callId) =>
        SipText.Request("OPTIONS", "sip:example.test", branch: "z9hG4bK" + callId, callId: callId).Replace("SIP/2.0/UDP", "SIP/2.0/TCP", StringComparison.Ordinal);

    [Fact]
    public async Task Options_OverTcp_AnsweredOnTheSameConnection()
    {
        using var client = await TcpSipClient.ConnectAsync(server.TcpEndPoint);

        await client.SendAsync(TcpOptions("tcp1"));
        var response = await client.ReceiveAsync();

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("tcp1", response.CallId);
    }

    [Fact]
    public async Task KeepAlivePing_DoubleCrlf_GetsSingleCrlfPong()
    {
        using var client = await TcpSipClient.ConnectAsync(server.TcpEndPoint);

        await client.SendAsync("\r\n\r\n"u8.ToArray());

        // RFC 5626 §4.4.1: the pong is one CRLF.
        Assert.Equal("\r\n"u8.ToArray(), await client.ReadBytesAsync(2));
    }

    [Fact]
    public async Task TwoRequestsInOneWrite_BothAnswered()
    {
        using var client = await TcpSipClient.ConnectAsync(server.TcpEndPoint);

        await client.SendAsync(TcpOptions("tcp-a") + TcpOptions("tcp-b"));

        Assert.Equal("tcp-a", (await client.ReceiveAsync()).CallId);
        Assert.Equal("tcp-b", (await client.ReceiveAsync()).CallId);
    }

    [Fact]
    public async Task OversizeMessage_ClosesOnlyThatConnection()
    {
        using var good = await TcpSipClient.ConnectAsync(server.TcpEndPoint);
        using var bad = await TcpSipClient.ConnectAsync(server.TcpEndPoint);

        await bad.SendAsync("OPTIONS sip:example.test SIP/2.0\r\nX-Padding: " + new string('a', 70_000) + "\r\n\r\n");

        Assert.True(await bad.IsClosedByServerAsync());
        await good.SendAsync(TcpOptions("still-served"));
        Assert.Equal(200, (await good.ReceiveAsync()).StatusCode);
    }

    [Fact]
    public async Task MissingContentLength_OnAStream_ClosesTheConnection()
    {
        using var client = await TcpSipClient.ConnectAsync(server.TcpEndPoint);

        // RFC 3261 §18.3: on a stream Content-Length is mandatory; without it the next message cannot be found.
        await client.SendAsync(SipText.Normalize(TcpOptions("nolength")).Replace("Content-Length: 0\r\n", string.Empty, StringComparison.Ordinal));

        Assert.True(await client.IsClosedByServerAsync());
    }
}
