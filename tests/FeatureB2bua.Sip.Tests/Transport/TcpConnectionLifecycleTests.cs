using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Sip.Tests.Transport;

public sealed class TcpConnectionLifecycleTests
{
    [Fact]
    public async Task Oversize_message_closes_only_its_own_connection()
    {
        await using var harness = new TcpHarness(new TransportOptions { MaxMessageSize = 512 });
        var good = await harness.ConnectAsync();
        var bad = await harness.ConnectAsync();

        await bad.WriteAsync(SipText.Bytes("INVITE sip:a@b SIP/2.0\r\nSubject: " + new string('x', 600)));
        await bad.ExpectClosedAsync();

        await good.WriteAsync(SipText.Request("still-here"));
        var packet = await harness.Sink.NextAsync();
        Assert.Contains("still-here", packet.Text, StringComparison.Ordinal);
        var response = SipText.Response("still-here");
        Assert.Equal(SendResult.Sent, await packet.Connection!.SendAsync(response));
        Assert.Equal(response, await good.ReadExactlyAsync(response.Length));
        Assert.Equal(1, harness.Metrics.Total("b2bua_transport_messages_dropped|protocol=tcp|reason=oversize"));
    }

    [Fact]
    public async Task Missing_content_length_closes_the_connection()
    {
        await using var harness = new TcpHarness();
        var peer = await harness.ConnectAsync();

        await peer.WriteAsync(SipText.Bytes("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n"));

        await peer.ExpectClosedAsync();
        Assert.Equal(1, harness.Metrics.Total("b2bua_transport_messages_dropped|protocol=tcp|reason=framing"));
    }

    [Fact]
    public async Task Idle_connection_is_closed_once_the_clock_passes_the_timeout_since_the_last_traffic()
    {
        var clock = new ManualTimeProvider();
        await using var harness = new TcpHarness(new TransportOptions { TcpIdleTimeout = TimeSpan.FromMinutes(5) }, clock);
        var peer = await harness.ConnectAsync();
        await peer.WriteAsync(SipText.Request("t0"));
        await harness.Sink.NextAsync();

        clock.Advance(TimeSpan.FromMinutes(4));
        await peer.WriteAsync(SipText.Request("t4"));
        await harness.Sink.NextAsync();

        // The first expiry (at 5 min) finds traffic 1 min old and waits on.
        clock.Advance(TimeSpan.FromMinutes(2));
        await peer.WriteAsync(SipText.Request("t6"));
        var packet = await harness.Sink.NextAsync();
        Assert.True(packet.Connection!.IsOpen);

        clock.Advance(TimeSpan.FromMinutes(5));
        await peer.ExpectClosedAsync();
        var connection = (TcpConnection)packet.Connection;
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(connection.IsOpen);
        Assert.Equal("idle", connection.CloseReason);
        Assert.Equal(0, harness.Metrics.Total("b2bua_transport_connections_open"));
    }

    [Fact]
    public async Task Accepts_beyond_the_connection_limit_are_closed_at_once()
    {
        await using var harness = new TcpHarness(new TransportOptions { MaxTcpConnections = 1 });
        var first = await harness.ConnectAsync();
        await first.WriteAsync(SipText.Request("first"));
        await harness.Sink.NextAsync();

        var second = await harness.ConnectAsync();
        await second.ExpectClosedAsync();

        Assert.Equal(1, harness.Metrics.Total("b2bua_transport_connections_rejected|protocol=tcp"));
        await first.WriteAsync(SipText.Request("first-again"));
        Assert.Contains("first-again", (await harness.Sink.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_closes_every_connection_and_can_be_repeated()
    {
        var harness = new TcpHarness();
        var peers = new[] { await harness.ConnectAsync(), await harness.ConnectAsync() };
        foreach (var peer in peers)
        {
            await peer.WriteAsync(SipText.Request("hello"));
            await harness.Sink.NextAsync();
        }

        Assert.Equal(2, harness.Metrics.Total("b2bua_transport_connections_open"));
        await harness.Transport.DisposeAsync();

        foreach (var peer in peers)
        {
            await peer.ExpectClosedAsync();
        }

        Assert.Equal(0, harness.Transport.ConnectionCount);
        Assert.Equal(0, harness.Metrics.Total("b2bua_transport_connections_open"));
        await harness.DisposeAsync();
    }

    [Fact]
    public async Task Connection_closed_by_the_peer_is_forgotten_and_sends_fail()
    {
        await using var harness = new TcpHarness();
        var peer = await harness.ConnectAsync();
        await peer.WriteAsync(SipText.Request("bye"));
        var connection = (await harness.Sink.NextAsync()).Connection!;

        peer.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (connection.IsOpen && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.False(connection.IsOpen);
        Assert.Equal(SendResult.ConnectionClosed, await connection.SendAsync(SipText.Response("bye")));
    }
}
