using System.Net;
using System.Net.Sockets;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Tests.Transport;

public sealed class TcpTransportOutgoingTests
{
    [Fact]
    public async Task Send_connects_once_and_reuses_the_connection_for_the_next_message()
    {
        await using var client = new TcpHarness();
        await using var server = new TcpHarness();
        var target = server.Transport.LocalEndPoint;

        Assert.Equal(SendResult.Sent, await client.Transport.SendAsync(SipText.Request("one"), target));
        var first = await server.Sink.NextAsync();
        Assert.Equal(SendResult.Sent, await client.Transport.SendAsync(SipText.Request("two"), target));
        var second = await server.Sink.NextAsync();

        Assert.Contains("two", second.Text, StringComparison.Ordinal);
        Assert.Same(first.Connection, second.Connection);
        Assert.Equal(first.Remote, second.Remote);
        Assert.Equal(1, client.Transport.ConnectionCount);
        Assert.Equal(1, server.Transport.ConnectionCount);
    }

    [Fact]
    public async Task Responses_on_an_outgoing_connection_are_read_and_delivered()
    {
        await using var client = new TcpHarness();
        await using var server = new TcpHarness();
        var target = server.Transport.LocalEndPoint;
        await client.Transport.SendAsync(SipText.Request("ask"), target);
        var request = await server.Sink.NextAsync();

        var response = SipText.Response("ask");
        Assert.Equal(SendResult.Sent, await request.Connection!.SendAsync(response));

        var received = await client.Sink.NextAsync();
        Assert.Equal(response, received.Data);
        Assert.Equal(target, received.Remote);
        Assert.Equal(target, received.Connection!.Remote);
    }

    [Fact]
    public async Task Concurrent_first_sends_to_one_remote_share_one_connection()
    {
        await using var client = new TcpHarness();
        await using var server = new TcpHarness();
        var target = server.Transport.LocalEndPoint;

        var results = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(i => client.Transport.SendAsync(SipText.Request($"c{i}"), target).AsTask()));

        Assert.All(results, r => Assert.Equal(SendResult.Sent, r));
        var packets = new List<Captured>();
        for (var i = 0; i < 8; i++)
        {
            packets.Add(await server.Sink.NextAsync());
        }

        Assert.Single(packets.Select(p => p.Connection).Distinct());
        Assert.Equal(1, client.Transport.ConnectionCount);
    }

    [Fact]
    public async Task Closed_preferred_connection_falls_back_to_one_to_the_remote()
    {
        await using var client = new TcpHarness();
        await using var server = new TcpHarness();
        var target = server.Transport.LocalEndPoint;
        await client.Transport.SendAsync(SipText.Request("first"), target);
        var first = await server.Sink.NextAsync();
        var outgoing = (TcpConnection)(await SendAndCaptureClientConnectionAsync(first, client)).Connection!;

        outgoing.Close("test");
        await outgoing.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(SendResult.Sent, await client.Transport.SendAsync(SipText.Request("again"), target, outgoing));
        var again = await server.Sink.NextAsync();
        Assert.Contains("again", again.Text, StringComparison.Ordinal);
        Assert.NotSame(first.Connection, again.Connection);
    }

    [Fact]
    public async Task Send_to_a_port_nobody_listens_on_fails_to_connect()
    {
        await using var client = new TcpHarness();
        await using var server = new TcpHarness();
        IPEndPoint closed;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closed = (IPEndPoint)probe.LocalEndPoint!;
        }

        Assert.Equal(SendResult.ConnectFailed, await client.Transport.SendAsync(SipText.Request("nobody"), closed));
        Assert.Equal(0, client.Transport.ConnectionCount);
    }

    [Fact]
    public async Task Send_after_dispose_reports_no_transport()
    {
        await using var client = new TcpHarness();
        await using var server = new TcpHarness();
        await client.Transport.DisposeAsync();
        Assert.Equal(SendResult.NoTransport, await client.Transport.SendAsync(SipText.Request("late"), server.Transport.LocalEndPoint));
    }

    // The server answers on the connection, so the client side's own connection object shows up in its sink.
    private static async Task<Captured> SendAndCaptureClientConnectionAsync(Captured atServer, TcpHarness client)
    {
        await atServer.Connection!.SendAsync(SipText.Response("first"));
        return await client.Sink.NextAsync();
    }
}
