using System.Text;
using FeatureB2bua.Sip.Sdp;

namespace FeatureB2bua.Sip.Tests.Sdp;

public sealed class SdpParserTests
{
    [Fact]
    public void TryParse_AliceOffer_ReadsEveryField()
    {
        var sdp = Parse(SdpSamples.Bytes(SdpSamples.AliceOffer));

        Assert.Equal(0, SessionDescription.Version);
        Assert.Equal(
            new SdpOrigin("alice", "2890844526", 2890844526, "IN", "IP4", "client.atlanta.example.com"),
            sdp.Origin);
        Assert.Equal("-", sdp.SessionName);
        Assert.Equal(new SdpConnection("IN", "IP4", "192.0.2.101"), sdp.Connection);
        var timing = Assert.Single(sdp.Timings);
        Assert.Equal(0UL, timing.Start);
        Assert.Equal(0UL, timing.Stop);
        Assert.Empty(timing.Repeats);
        Assert.Null(sdp.Information);
        Assert.Null(sdp.Uri);
        Assert.Empty(sdp.Emails);
        Assert.Empty(sdp.Phones);
        Assert.Empty(sdp.Bandwidths);
        Assert.Null(sdp.TimeZones);
        Assert.Null(sdp.EncryptionKey);
        Assert.Empty(sdp.Attributes);

        var media = Assert.Single(sdp.MediaDescriptions);
        Assert.Equal("audio", media.Media);
        Assert.Equal(49172, media.Port);
        Assert.Null(media.PortCount);
        Assert.Equal("RTP/AVP", media.Protocol);
        Assert.Equal(["0"], media.Formats);
        Assert.Null(media.Connection);
        Assert.Same(sdp.Connection, sdp.GetEffectiveConnection(media));
        Assert.Equal([new SdpAttribute("rtpmap", "0 PCMU/8000")], media.Attributes);
        Assert.Equal(new SdpRtpMap(0, "PCMU", 8000), media.FindRtpMap(0));
        Assert.Equal(MediaDirection.SendRecv, sdp.GetEffectiveDirection(media));
    }

    [Fact]
    public void TryParse_SrtpOffer_ReadsEveryField()
    {
        var sdp = Parse(SdpSamples.Bytes(SdpSamples.SrtpOffer));

        Assert.Equal(new SdpOrigin("-", "20518", 0, "IN", "IP4", "203.0.113.1"), sdp.Origin);
        Assert.Equal(" ", sdp.SessionName);
        Assert.Equal(SdpConnection.Ip4("203.0.113.1"), sdp.Connection);
        Assert.False(sdp.Connection!.IsHoldAddress);
        Assert.Single(sdp.Timings);

        var media = Assert.Single(sdp.MediaDescriptions);
        Assert.Equal("audio", media.Media);
        Assert.Equal(54400, media.Port);
        Assert.Equal("RTP/SAVPF", media.Protocol);
        Assert.Equal(["0", "8", "101"], media.Formats);
        Assert.Equal(
            [
                new SdpRtpMap(0, "PCMU", 8000),
                new SdpRtpMap(8, "PCMA", 8000),
                new SdpRtpMap(101, "telephone-event", 8000),
            ],
            media.GetRtpMaps());
        Assert.Equal([new SdpFmtp(101, "0-15")], media.GetFmtps());
        Assert.Equal(20, media.Ptime);
        Assert.Equal(new SdpRtcp(54401, SdpConnection.Ip4("203.0.113.1")), media.Rtcp);
        Assert.Equal(MediaDirection.SendOnly, media.Direction);
        Assert.Equal(MediaDirection.SendOnly, sdp.GetEffectiveDirection(media));
        Assert.Equal("F7gI", media.Attributes.GetValue("ice-ufrag"));
        Assert.Equal(8, media.Attributes.Count);
    }

    [Fact]
    public void TryParse_EveryLineType_KeepsEachInItsPlace()
    {
        var sdp = Parse(SdpSamples.Bytes(SdpSamples.Everything));

        Assert.Equal("SDP Offer #1", sdp.Information);
        Assert.Equal("http://www.jdoe.example.com/home.html", sdp.Uri);
        Assert.Equal(["Jane Doe <jane@jdoe.example.com>"], sdp.Emails);
        Assert.Equal(["+1 617 555-6011"], sdp.Phones);
        Assert.Equal([new SdpBandwidth("AS", 128)], sdp.Bandwidths);
        Assert.Equal(2, sdp.Timings.Count);
        Assert.Equal(["7d 1h 0 25h"], sdp.Timings[0].Repeats);
        Assert.Empty(sdp.Timings[1].Repeats);
        Assert.Equal("2882844526 -1h 2898848070 0", sdp.TimeZones);
        Assert.Equal("prompt", sdp.EncryptionKey);
        Assert.Equal(MediaDirection.RecvOnly, sdp.Direction);

        var audio = sdp.MediaDescriptions[0];
        Assert.Equal("voice", audio.Information);
        Assert.Equal([new SdpBandwidth("TIAS", 64000)], audio.Bandwidths);
        Assert.Equal("clear:secret", audio.EncryptionKey);
        Assert.Null(audio.Attributes.Find("extmap-allow-mixed")!.Value);
        Assert.Equal(string.Empty, audio.Attributes.Find("empty-value")!.Value);

        var video = sdp.MediaDescriptions[1];
        Assert.Equal(51372, video.Port);
        Assert.Equal(2, video.PortCount);
        Assert.Equal(SdpConnection.Ip6("2001:db8::1"), video.Connection);
        Assert.Equal("sha-256 AB:CD:EF:01", video.Attributes.GetValue("fingerprint"));

        var data = sdp.MediaDescriptions[2];
        Assert.Equal(0, data.Port);
        Assert.Equal("UDP/DTLS/SCTP", data.Protocol);
        Assert.Equal(["webrtc-datachannel"], data.Formats);
        Assert.Equal("224.2.17.12/127", data.Connection!.Address);
        Assert.Equal("224.2.17.12", data.Connection.Host);
    }

    [Fact]
    public void TryParse_LfOnlyLineEnds_Accepted()
    {
        var lfOnly = Encoding.UTF8.GetBytes(string.Join("\n", SdpSamples.SrtpOffer) + "\n");

        var sdp = Parse(lfOnly);

        Assert.Equal(" ", sdp.SessionName);
        Assert.Equal(8, sdp.MediaDescriptions[0].Attributes.Count);
        Assert.Equal(Parse(SdpSamples.Bytes(SdpSamples.SrtpOffer)).ToString(), sdp.ToString());
    }

    [Fact]
    public void TryParse_NoFinalLineEndAndTrailingBlankLine_Accepted()
    {
        var text = SdpSamples.Text(SdpSamples.AliceOffer);

        Assert.Equal(text, Parse(Encoding.UTF8.GetBytes(text.TrimEnd())).ToString());
        Assert.Equal(text, Parse(Encoding.UTF8.GetBytes(text + "\r\n")).ToString());
    }

    [Fact]
    public void TryParse_Ipv6Connection_KeepsAddress()
    {
        var sdp = Parse(SdpSamples.Bytes(
            "v=0", "o=- 1 1 IN IP6 2001:db8::2", "s=-", "c=IN IP6 2001:db8::1", "t=0 0", "m=audio 5004 RTP/AVP 0"));

        Assert.Equal(new SdpConnection("IN", "IP6", "2001:db8::1"), sdp.Connection);
        Assert.Equal("IP6", sdp.Origin.AddrType);
        Assert.Equal("2001:db8::2", sdp.Origin.Address);
        Assert.False(sdp.Connection!.IsHoldAddress);
    }

    [Fact]
    public void TryParse_ZeroAddressInMedia_IsHoldAddress()
    {
        var sdp = Parse(SdpSamples.Bytes(
            "v=0", "o=- 1 2 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
            "m=audio 5004 RTP/AVP 0", "c=IN IP4 0.0.0.0"));

        var media = sdp.MediaDescriptions[0];
        Assert.True(media.Connection!.IsHoldAddress);
        Assert.True(sdp.GetEffectiveConnection(media)!.IsHoldAddress);
        Assert.False(sdp.Connection!.IsHoldAddress);
    }

    [Fact]
    public void TryParse_ConnectionOnlyInEveryMediaSection_Accepted()
    {
        var sdp = Parse(SdpSamples.Bytes(
            "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0",
            "m=audio 5004 RTP/AVP 0", "c=IN IP4 192.0.2.10",
            "m=video 5006 RTP/AVP 96", "c=IN IP4 192.0.2.11"));

        Assert.Null(sdp.Connection);
        Assert.Equal("192.0.2.11", sdp.GetEffectiveConnection(sdp.MediaDescriptions[1])!.Address);
    }

    [Fact]
    public void TryParse_NoMediaSections_Accepted()
    {
        var sdp = Parse(SdpSamples.Bytes("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0"));

        Assert.Empty(sdp.MediaDescriptions);
        Assert.Null(sdp.Connection);
    }

    [Fact]
    public void TryParse_DoubledSpaces_Tolerated()
    {
        var sdp = Parse(SdpSamples.Bytes(
            "v=0", "o=-  1 1 IN IP4  192.0.2.1", "s=-", "c=IN  IP4 192.0.2.1", "t=0  0", "m=audio  5004 RTP/AVP  0 8 "));

        Assert.Equal("192.0.2.1", sdp.Origin.Address);
        Assert.Equal(["0", "8"], sdp.MediaDescriptions[0].Formats);
    }

    [Fact]
    public void TryParse_NonAsciiText_DecodedAsUtf8()
    {
        var sdp = Parse(SdpSamples.Bytes(
            "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=Café ☎", "t=0 0"));

        Assert.Equal("Café ☎", sdp.SessionName);
    }

    private static SessionDescription Parse(byte[] body)
    {
        Assert.True(SdpParser.TryParse(body, out var sdp, out var error), error);
        Assert.Null(error);
        return sdp;
    }
}
