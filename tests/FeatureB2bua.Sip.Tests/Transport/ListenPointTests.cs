using System.Net;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Tests.Transport;

public sealed class ListenPointTests
{
    [Theory]
    [InlineData("udp:127.0.0.1:5060", TransportProtocol.Udp, "127.0.0.1", 5060)]
    [InlineData("tcp:0.0.0.0:5060", TransportProtocol.Tcp, "0.0.0.0", 5060)]
    [InlineData("udp:[::1]:5060", TransportProtocol.Udp, "::1", 5060)]
    [InlineData("tls:[::]:5061", TransportProtocol.Tls, "::", 5061)]
    [InlineData("TCP:10.1.2.3:0", TransportProtocol.Tcp, "10.1.2.3", 0)]
    [InlineData("Udp:192.0.2.1:65535", TransportProtocol.Udp, "192.0.2.1", 65535)]
    public void Parses_protocol_address_and_port(string text, TransportProtocol protocol, string address, int port)
    {
        Assert.True(ListenPoint.TryParse(text, out var point));
        Assert.Equal(new ListenPoint(protocol, new IPEndPoint(IPAddress.Parse(address), port)), point);
    }

    [Theory]
    [InlineData("udp:127.0.0.1:5060")]
    [InlineData("tcp:0.0.0.0:5060")]
    [InlineData("udp:[::1]:5060")]
    [InlineData("tls:[2001:db8::1]:5061")]
    public void ToString_gives_the_parsed_form_back(string text) => Assert.Equal(text, ListenPoint.Parse(text).ToString());

    [Fact]
    public void ToString_lowercases_the_scheme() => Assert.Equal("tcp:127.0.0.1:5060", ListenPoint.Parse("TCP:127.0.0.1:5060").ToString());

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("udp")]
    [InlineData("udp:")]
    [InlineData("sctp:127.0.0.1:5060")]
    [InlineData(":127.0.0.1:5060")]
    [InlineData("udp:127.0.0.1")]
    [InlineData("udp:127.0.0.1:")]
    [InlineData("udp:127.0.0.1:65536")]
    [InlineData("udp:127.0.0.1:-1")]
    [InlineData("udp:127.0.0.1:+5")]
    [InlineData("udp:::1:5060")]
    [InlineData("udp:[::1]")]
    [InlineData("udp:[127.0.0.1]:5060")]
    [InlineData("udp:sip.example.com:5060")]
    public void Rejects_malformed_text(string? text)
    {
        Assert.False(ListenPoint.TryParse(text, out var point));
        Assert.Null(point);
    }

    [Fact]
    public void Parse_throws_FormatException_on_bad_text() => Assert.Throws<FormatException>(() => ListenPoint.Parse("udp:nowhere"));
}
