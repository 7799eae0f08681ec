using System.Net;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Tests.Transport;

public sealed class TcpTransportReceiveTests
{
    [Fact]
    public async Task Binding_port_zero_reports_the_real_port()
    {
        await using var harness = new TcpHarness();
        Assert.NotEqual(0, harness.Transport.LocalEndPoint.Port);
        Assert.Equal(IPAddress.Loopback, harness.Transport.LocalEndPoint.Address);
    }

    [Fact]
    public async Task Message_split_across_two_writes_is_delivered_once()
    {
        await using var harness = new TcpHarness();
        var peer = await harness.ConnectAsync();
        var request = SipText.Request("split", "some body text");

        await peer.WriteAsync(request[..40]);
        await Task.Delay(50);
        await peer.WriteAsync(request[40..]);
        await peer.WriteAsync(SipText.Request("sentinel"));

        var packet = await harness.Sink.NextAsync();
        Assert.Equal(request, packet.Data);
        Assert.Equal(peer.LocalEndPoint, packet.Remote);
        Assert.Equal(TransportProtocol.Tcp, packet.Protocol);
        Assert.NotNull(packet.Connection);
        Assert.Contains("sentinel", (await harness.Sink.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_messages_in_one_write_are_delivered_as_two()
    {
        await using var harness = new TcpHarness();
        var peer = await harness.ConnectAsync();
        var first = SipText.Request("first", "abc");
        var second = SipText.Request("second");

        await peer.WriteAsync([.. first, .. second]);

        Assert.Equal(first, (await harness.Sink.NextAsync()).Data);
        Assert.Equal(second, (await harness.Sink.NextAsync()).Data);
        Assert.Equal(2, harness.Metrics.Total("b2bua_transport_messages_received|protocol=tcp"));
    }

    [Fact]
    public async Task Keep_alive_ping_is_answered_with_one_crlf()
    {
        await using var harness = new TcpHarness();
        var peer = await harness.ConnectAsync();

        await peer.WriteAsync("\r\n\r\n"u8.ToArray());
        Assert.Equal("\r\n"u8.ToArray(), await peer.ReadExactlyAsync(2));

        // The connection carries on normally after a ping, and a lone CRLF before a message is skipped.
        await peer.WriteAsync([.. "\r\n"u8, .. SipText.Request("after-ping")]);
        Assert.Contains("after-ping", (await harness.Sink.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_written_on_the_packet_connection_reaches_the_peer()
    {
        await using var harness = new TcpHarness();
        var peer = await harness.ConnectAsync();
        await peer.WriteAsync(SipText.Request("reply"));
        var packet = await harness.Sink.NextAsync();

        var response = SipText.Response("reply");
        Assert.Equal(SendResult.Sent, await packet.Connection!.SendAsync(response));
        Assert.Equal(response, await peer.ReadExactlyAsync(response.Length));
    }

    [Fact]
    public async Task Send_to_a_remote_with_an_accepted_connection_reuses_it()
    {
        await using var harness = new TcpHarness();
        var peer = await harness.ConnectAsync();
        await peer.WriteAsync(SipText.Request("reuse"));
        var packet = await harness.Sink.NextAsync();

        var viaPreferred = SipText.Response("preferred");
        Assert.Equal(SendResult.Sent, await harness.Transport.SendAsync(viaPreferred, packet.Remote, packet.Connection));
        var viaRemote = SipText.Request("new-request");
        Assert.Equal(SendResult.Sent, await harness.Transport.SendAsync(viaRemote, packet.Remote));

        Assert.Equal(viaPreferred, await peer.ReadExactlyAsync(viaPreferred.Length));
        Assert.Equal(viaRemote, await peer.ReadExactlyAsync(viaRemote.Length));
        Assert.Equal(1, harness.Transport.ConnectionCount);
    }

    [Fact]
    public async Task Concurrent_sends_on_one_connection_never_interleave()
    {
        await using var harness = new TcpHarness();
        var peer = await harness.ConnectAsync();
        await peer.WriteAsync(SipText.Request("flood"));
        var connection = (await harness.Sink.NextAsync()).Connection!;

        const int Count = 20;
        const int Size = 32 * 1024;
        var messages = Enumerable.Range(0, Count).Select(i => Enumerable.Repeat((byte)('A' + i), Size).ToArray()).ToArray();
        var sends = messages.Select(m => connection.SendAsync(m).AsTask()).ToArray();

        var received = await peer.ReadExactlyAsync(Count * Size);
        Assert.All(await Task.WhenAll(sends), r => Assert.Equal(SendResult.Sent, r));
        var chunks = received.Chunk(Size).ToArray();
        Assert.All(chunks, chunk => Assert.True(chunk.All(b => b == chunk[0]), "a message was interleaved with another"));
        Assert.Equal(Count, chunks.Select(c => c[0]).Distinct().Count());
    }

    [Fact]
    public async Task Sink_failure_is_counted_and_the_connection_keeps_reading()
    {
        await using var harness = new TcpHarness(sink: new CollectingSink { Throw = p => p.Text.Contains("boom", StringComparison.Ordinal) });
        var peer = await harness.ConnectAsync();

        await peer.WriteAsync([.. SipText.Request("boom"), .. SipText.Request("fine")]);

        Assert.Contains("fine", (await harness.Sink.NextAsync()).Text, StringComparison.Ordinal);
        Assert.Equal(1, harness.Metrics.Total("b2bua_transport_messages_dropped|protocol=tcp|reason=sink_error"));
    }
}
