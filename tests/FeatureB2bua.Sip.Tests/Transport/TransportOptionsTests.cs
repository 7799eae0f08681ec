using System.Diagnostics.Metrics;
using FeatureB2bua.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureB2bua.Sip.Tests.Transport;

public sealed class TransportOptionsTests
{
    [Fact]
    public void Defaults_follow_the_documented_values()
    {
        var options = new TransportOptions();
        Assert.Equal(65535, options.MaxMessageSize);
        Assert.Equal(TimeSpan.FromSeconds(300), options.TcpIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.TcpConnectTimeout);
        Assert.Equal(10000, options.MaxTcpConnections);
        Assert.Equal(4 * 1024 * 1024, options.UdpReceiveBufferSize);
    }

    [Fact]
    public void Transports_refuse_unusable_options_and_foreign_listen_points()
    {
        using var meter = new Meter("transport-options-tests");
        var tcp = ListenPoint.Parse("tcp:127.0.0.1:0");
        var udp = ListenPoint.Parse("udp:127.0.0.1:0");

        Assert.Throws<ArgumentOutOfRangeException>(
            () => new TcpTransport(tcp, new TransportOptions { MaxMessageSize = 0 }, meter, NullLogger<TcpTransport>.Instance));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new TcpTransport(tcp, new TransportOptions { TcpIdleTimeout = TimeSpan.Zero }, meter, NullLogger<TcpTransport>.Instance));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new UdpTransport(udp, new TransportOptions { UdpReceiveBufferSize = -1 }, meter, NullLogger<UdpTransport>.Instance));
        Assert.Throws<ArgumentException>(() => new TcpTransport(udp, new TransportOptions(), meter, NullLogger<TcpTransport>.Instance));
        Assert.Throws<ArgumentException>(() => new UdpTransport(tcp, new TransportOptions(), meter, NullLogger<UdpTransport>.Instance));
    }
}
