using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureB2bua.Sip.Tests.Transport;

public sealed class UdpTransportTests : IAsyncLifetime, IDisposable
{
    private readonly Meter _meter = new("udp-transport-tests");
    private readonly MeterRecorder _metrics;
    private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private UdpTransport _transport = null!;

    public UdpTransportTests()
    {
        _metrics = new MeterRecorder(_meter);
        _client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    private IPEndPoint ClientEndPoint => (IPEndPoint)_client.LocalEndPoint!;

    public Task InitializeAsync()
    {
        _transport = new UdpTransport(ListenPoint.Parse("udp:127.0.0.1:0"), new TransportOptions(), _meter, NullLogger<UdpTransport>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _transport.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _metrics.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void Binding_port_zero_reports_the_real_port()
    {
        _transport.Start(new CollectingSink());
        Assert.NotEqual(0, _transport.LocalEndPoint.Port);
        Assert.Equal(IPAddress.Loopback, _transport.LocalEndPoint.Address);
        Assert.Equal(TransportProtocol.Udp, _transport.Protocol);
    }

    [Fact]
    public async Task Datagram_reaches_the_sink_with_its_remote_and_a_send_reaches_the_client()
    {
        var sink = new CollectingSink();
        _transport.Start(sink);

        var request = SipText.Request("udp-1");
        await _client.SendToAsync(request, _transport.LocalEndPoint);
        var packet = await sink.NextAsync();

        Assert.Equal(request, packet.Data);
        Assert.Equal(ClientEndPoint, packet.Remote);
        Assert.Equal(_transport.LocalEndPoint, packet.Local);
        Assert.Equal(TransportProtocol.Udp, packet.Protocol);
        Assert.Null(packet.Connection);
        Assert.Equal(1, _metrics.Total("b2bua_transport_messages_received|protocol=udp"));

        var response = SipText.Response("udp-1");
        Assert.Equal(SendResult.Sent, await _transport.SendAsync(response, packet.Remote));
        var received = new byte[2048];
        var result = await _client.ReceiveFromAsync(received, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(response, received[..result.ReceivedBytes]);
        Assert.Equal(_transport.LocalEndPoint, result.RemoteEndPoint);
    }

    [Fact]
    public async Task Datagrams_from_two_peers_keep_their_own_remotes()
    {
        var sink = new CollectingSink();
        _transport.Start(sink);
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        await _client.SendToAsync(SipText.Request("a"), _transport.LocalEndPoint);
        Assert.Equal(ClientEndPoint, (await sink.NextAsync()).Remote);
        await other.SendToAsync(SipText.Request("b"), _transport.LocalEndPoint);
        Assert.Equal(other.LocalEndPoint, (await sink.NextAsync()).Remote);
        await _client.SendToAsync(SipText.Request("c"), _transport.LocalEndPoint);
        Assert.Equal(ClientEndPoint, (await sink.NextAsync()).Remote);
    }

    [Fact]
    public async Task Sink_failure_is_counted_and_the_loop_keeps_receiving()
    {
        var sink = new CollectingSink { Throw = p => p.Text.Contains("boom", StringComparison.Ordinal) };
        _transport.Start(sink);

        await _client.SendToAsync(SipText.Request("boom"), _transport.LocalEndPoint);
        await _client.SendToAsync(SipText.Request("after"), _transport.LocalEndPoint);

        Assert.Contains("after", (await sink.NextAsync()).Text, StringComparison.Ordinal);
        Assert.Equal(1, _metrics.Total("b2bua_transport_messages_dropped|protocol=udp|reason=sink_error"));
    }

    [Fact]
    public async Task Crlf_keep_alive_datagrams_are_ignored()
    {
        var sink = new CollectingSink();
        _transport.Start(sink);

        await _client.SendToAsync("\r\n\r\n"u8.ToArray(), _transport.LocalEndPoint);
        await _client.SendToAsync("\r\n"u8.ToArray(), _transport.LocalEndPoint);
        await _client.SendToAsync(SipText.Request("real"), _transport.LocalEndPoint);

        Assert.Contains("real", (await sink.NextAsync()).Text, StringComparison.Ordinal);
        Assert.False(sink.TryNext(out _));
    }

    [Fact]
    public async Task Datagram_over_the_size_limit_is_dropped()
    {
        await _transport.DisposeAsync();
        _transport = new UdpTransport(
            ListenPoint.Parse("udp:127.0.0.1:0"), new TransportOptions { MaxMessageSize = 200 }, _meter, NullLogger<UdpTransport>.Instance);
        var sink = new CollectingSink();
        _transport.Start(sink);

        await _client.SendToAsync(SipText.Request("big", new string('x', 300)), _transport.LocalEndPoint);
        await _client.SendToAsync(SipText.Request("small"), _transport.LocalEndPoint);

        Assert.Contains("small", (await sink.NextAsync()).Text, StringComparison.Ordinal);
        Assert.Equal(1, _metrics.Total("b2bua_transport_messages_dropped|protocol=udp|reason=oversize"));
    }

    [Fact]
    public async Task Sending_to_a_closed_port_does_not_stop_receiving()
    {
        var sink = new CollectingSink();
        _transport.Start(sink);
        IPEndPoint closed;
        using (var gone = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            gone.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closed = (IPEndPoint)gone.LocalEndPoint!;
        }

        for (var i = 0; i < 3; i++)
        {
            _transport.Send(SipText.Request("lost"), closed);
        }

        await _client.SendToAsync(SipText.Request("still"), _transport.LocalEndPoint);
        Assert.Contains("still", (await sink.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_before_start_or_after_dispose_reports_no_transport()
    {
        Assert.Equal(SendResult.NoTransport, _transport.Send(SipText.Request("x"), ClientEndPoint));
        _transport.Start(new CollectingSink());
        await _transport.DisposeAsync();
        Assert.Equal(SendResult.NoTransport, _transport.Send(SipText.Request("x"), ClientEndPoint));
        await _transport.DisposeAsync();
    }

    [Fact]
    public void Starting_twice_throws()
    {
        _transport.Start(new CollectingSink());
        Assert.Throws<InvalidOperationException>(() => _transport.Start(new CollectingSink()));
    }
}
