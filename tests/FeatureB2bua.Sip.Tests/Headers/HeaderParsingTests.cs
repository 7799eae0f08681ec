using System.Text;
using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Sip.Tests.Headers;

public sealed class HeaderParsingTests
{
    [Fact]
    public void SipUri_Ipv6Reference_KeepsBracketsAndPort()
    {
        Assert.True(SipUri.TryParse("sip:alice@[2001:db8::10]:5070;transport=tcp"u8, out var uri));
        Assert.Equal("[2001:db8::10]", uri!.Host);
        Assert.Equal(5070, uri.Port);
        Assert.Equal("tcp", uri.Transport);
    }

    [Theory]
    [InlineData("sip:alice@[2001:db8::zz]")]
    [InlineData("sip:alice@host:99999")]
    [InlineData("sip:@host")]
    [InlineData("sip:alice@host;;lr")]
    [InlineData("sip:alice@ho st")]
    [InlineData("sip:")]
    public void SipUri_Malformed_IsRefused(string text) => Assert.False(SipUri.TryParse(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void Via_Ipv6SentByWithRportAndReceived_Read()
    {
        Assert.True(ViaHeader.TryParse("SIP/2.0/UDP [2001:db8::9]:5062;branch=z9hG4bKx;rport=4000;received=2001:db8::1"u8, out var via));
        Assert.Equal("[2001:db8::9]", via!.Host);
        Assert.Equal(5062, via.Port);
        Assert.Equal(4000, via.RPort);
        Assert.Equal("2001:db8::1", via.Received);
        Assert.True(via.IsRfc3261Branch);
    }

    [Fact]
    public void Contact_ExpiresInsideBrackets_BelongsToTheUri()
    {
        // Seed 001: ";expires=" inside <> is a URI parameter, not the binding's expiry.
        Assert.True(ContactHeader.TryParse("<sip:alice@192.0.2.4;expires=60>;q=0.7;expires=3600"u8, out var contact));
        Assert.Equal(3600u, contact!.Expires);
        Assert.Equal(700, contact.Q);
        Assert.Equal("60", contact.Address!.Uri.Parameters[0].Value);

        Assert.True(ContactHeader.TryParse("<sip:alice@192.0.2.4;expires=60>"u8, out var inner));
        Assert.Null(inner!.Expires);
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData(" * ", true)]
    public void Contact_Star_IsWildcard(string text, bool wildcard)
    {
        Assert.True(ContactHeader.TryParse(Encoding.ASCII.GetBytes(text), out var contact));
        Assert.Equal(wildcard, contact!.IsWildcard);
    }

    [Theory]
    [InlineData("<sip:a@b>;q=1.5")]
    [InlineData("<sip:a@b>;q=0.1234")]
    [InlineData("<sip:a@b>;expires=soon")]
    public void Contact_BadQOrExpires_IsRefused(string text) => Assert.False(ContactHeader.TryParse(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void CSeq_AtTwoToThe31_IsRefused()
    {
        Assert.True(CSeqHeader.TryParse("2147483647 INVITE"u8, out _));
        Assert.False(CSeqHeader.TryParse("2147483648 INVITE"u8, out _));
    }

    [Theory]
    [InlineData("Session-Expires: 1800;refresher=uac\r\nMin-SE: 90\r\n", 1800u, SessionRefresher.Uac, 90u)]
    [InlineData("x: 120 ; refresher=UAS ; x=y\r\nMin-SE: 300;ext=1\r\n", 120u, SessionRefresher.Uas, 300u)]
    [InlineData("Session-Expires: 600\r\n", 600u, SessionRefresher.Unspecified, null)]
    public void SessionTimerHeaders_ReadWithTheirParameters(string headers, uint seconds, SessionRefresher refresher, uint? minimum)
    {
        var message = FeatureB2bua.Sip.Parsing.SipParser.Parse(Encoding.ASCII.GetBytes(
            "INVITE sip:b@example.test SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@example.test>;tag=1\r\n" +
            "To: <sip:b@example.test>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n" + headers + "Content-Length: 0\r\n\r\n"), out _)!;

        Assert.Equal(new SessionExpiresHeader(seconds, refresher), message.SessionExpires);
        Assert.Equal(minimum, message.MinSessionExpires);
    }
}
