using FeatureB2bua.Sip.Sdp;

namespace FeatureB2bua.Sip.Tests.Sdp;

public sealed class SdpAttributeTests
{
    [Theory]
    [InlineData("0 PCMU/8000", 0, "PCMU", 8000, null)]
    [InlineData("111 opus/48000/2", 111, "opus", 48000, 2)]
    [InlineData("101 telephone-event/8000", 101, "telephone-event", 8000, null)]
    public void RtpMapTryParse_WellFormed_ReadsFields(
        string value, int payloadType, string name, int clockRate, int? channels)
    {
        Assert.True(SdpRtpMap.TryParse(value, out var rtpMap));
        Assert.Equal(new SdpRtpMap(payloadType, name, clockRate, channels), rtpMap);
        Assert.Equal(new SdpAttribute("rtpmap", value), rtpMap.ToAttribute());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("PCMU/8000")]
    [InlineData("0 PCMU")]
    [InlineData("0 /8000")]
    [InlineData("128 PCMU/8000")]
    [InlineData("0 PCMU/fast")]
    [InlineData("0 opus/48000/stereo")]
    public void RtpMapTryParse_Malformed_ReturnsFalse(string? value)
    {
        Assert.False(SdpRtpMap.TryParse(value, out var rtpMap));
        Assert.Null(rtpMap);
    }

    [Theory]
    [InlineData("101 0-15", 101, "0-15")]
    [InlineData("96 profile-level-id=42e01f;packetization-mode=1", 96, "profile-level-id=42e01f;packetization-mode=1")]
    [InlineData("18 annexb=no", 18, "annexb=no")]
    [InlineData("101", 101, "")]
    public void FmtpTryParse_WellFormed_ReadsFields(string value, int payloadType, string parameters)
    {
        Assert.True(SdpFmtp.TryParse(value, out var fmtp));
        Assert.Equal(new SdpFmtp(payloadType, parameters), fmtp);
        Assert.Equal(new SdpAttribute("fmtp", value), fmtp.ToAttribute());
    }

    [Theory]
    [InlineData("53020", 53020, null)]
    [InlineData("53020 IN IP4 126.16.64.4", 53020, "126.16.64.4")]
    [InlineData("53020 IN IP6 2001:2345:6789:ABCD:EF01:2345:6789:ABCD", 53020, "2001:2345:6789:ABCD:EF01:2345:6789:ABCD")]
    public void RtcpTryParse_Rfc3605Forms_ReadsFields(string value, int port, string? address)
    {
        Assert.True(SdpRtcp.TryParse(value, out var rtcp));
        Assert.Equal(port, rtcp.Port);
        Assert.Equal(address, rtcp.Connection?.Address);
        Assert.Equal(new SdpAttribute("rtcp", value), rtcp.ToAttribute());
    }

    [Theory]
    [InlineData("")]
    [InlineData("port")]
    [InlineData("70000")]
    [InlineData("53020 IN IP4")]
    [InlineData("53020 IN IP4 192.0.2.1 extra")]
    public void RtcpTryParse_Malformed_ReturnsFalse(string value)
    {
        Assert.False(SdpRtcp.TryParse(value, out _));
    }

    [Fact]
    public void Rtcp_Set_ReplacesInPlaceAndNullRemoves()
    {
        var media = Media("rtpmap:0 PCMU/8000", "rtcp:5005", "sendrecv");

        media.Rtcp = new SdpRtcp(6001, SdpConnection.Ip4("192.0.2.9"));
        Assert.Equal(["rtpmap", "rtcp", "sendrecv"], Names(media));
        Assert.Equal("6001 IN IP4 192.0.2.9", media.Attributes[1].Value);
        Assert.Equal(6001, media.Rtcp!.Port);

        media.Rtcp = null;
        Assert.Equal(["rtpmap", "sendrecv"], Names(media));
        Assert.Null(media.Rtcp);
    }

    [Fact]
    public void Ptime_SetAndClear_UpdatesAttribute()
    {
        var media = Media("rtpmap:0 PCMU/8000");
        Assert.Null(media.Ptime);

        media.Ptime = 30;
        Assert.Equal(new SdpAttribute("ptime", "30"), media.Attributes[^1]);
        Assert.Equal(30, media.Ptime);

        media.Ptime = null;
        Assert.Equal(["rtpmap"], Names(media));
        Assert.Throws<ArgumentOutOfRangeException>(() => media.Ptime = 0);
    }

    [Fact]
    public void Ptime_NotAWholeNumber_ReadsAsNull()
    {
        Assert.Null(Media("ptime:20.5").Ptime);
    }

    [Fact]
    public void FindRtpMapAndFindFmtp_UnknownPayloadType_ReturnNull()
    {
        var media = Media("rtpmap:0 PCMU/8000", "fmtp:101 0-15");

        Assert.Null(media.FindRtpMap(8));
        Assert.Null(media.FindFmtp(0));
        Assert.Equal(new SdpFmtp(101, "0-15"), media.FindFmtp(101));
    }

    [Theory]
    [InlineData(null, null, MediaDirection.SendRecv)]
    [InlineData("sendonly", null, MediaDirection.SendOnly)]
    [InlineData(null, "recvonly", MediaDirection.RecvOnly)]
    [InlineData("sendonly", "inactive", MediaDirection.Inactive)]
    [InlineData("inactive", "sendrecv", MediaDirection.SendRecv)]
    public void GetEffectiveDirection_MediaOverSessionOverDefault(string? session, string? media, MediaDirection expected)
    {
        var sdp = new SessionDescription(new SdpOrigin("-", "1", 1, "IN", "IP4", "192.0.2.1"), "-");
        if (session is not null)
        {
            sdp.Attributes.Add(session);
        }

        var section = media is null ? Media() : Media(media);
        sdp.MediaDescriptions.Add(section);

        Assert.Equal(expected, sdp.GetEffectiveDirection(section));
    }

    [Fact]
    public void SetDirection_Existing_ReplacesInPlace()
    {
        var media = Media("rtpmap:0 PCMU/8000", "sendonly", "ice-ufrag:F7gI");

        media.SetDirection(MediaDirection.Inactive);

        Assert.Equal(["rtpmap", "inactive", "ice-ufrag"], Names(media));
        Assert.Equal(MediaDirection.Inactive, media.Direction);
    }

    [Fact]
    public void SetDirection_Duplicates_KeepsOnlyTheFirstPosition()
    {
        var media = Media("recvonly", "rtpmap:0 PCMU/8000", "sendonly");

        media.SetDirection(MediaDirection.SendRecv);

        Assert.Equal(["sendrecv", "rtpmap"], Names(media));
    }

    [Fact]
    public void SetDirection_None_Appends()
    {
        var sdp = new SessionDescription(new SdpOrigin("-", "1", 1, "IN", "IP4", "192.0.2.1"), "-");
        sdp.Attributes.Add("group", "BUNDLE 0");

        sdp.SetDirection(MediaDirection.RecvOnly);

        Assert.Equal([new SdpAttribute("group", "BUNDLE 0"), new SdpAttribute("recvonly")], sdp.Attributes);
    }

    [Fact]
    public void Direction_DirectionNameWithValue_IsNotADirection()
    {
        var media = Media("sendonly:odd");

        Assert.Null(media.Direction);
        media.SetDirection(MediaDirection.SendOnly);
        Assert.Equal(2, media.Attributes.Count);
    }

    [Fact]
    public void AttributeList_SetAndRemoveAll_KeepOrder()
    {
        var media = Media("a:1", "b:2", "a:3", "c");

        media.Attributes.Set("a", "9");
        Assert.Equal([new SdpAttribute("a", "9"), new SdpAttribute("b", "2"), new SdpAttribute("c")], media.Attributes);

        Assert.Equal(1, media.Attributes.RemoveAll("b"));
        Assert.False(media.Attributes.Contains("b"));
        Assert.Throws<ArgumentNullException>(() => media.Attributes.Add((SdpAttribute)null!));
    }

    private static MediaDescription Media(params string[] attributes)
    {
        var media = new MediaDescription("audio", 5004, "RTP/AVP") { Formats = { "0" } };
        foreach (var line in attributes)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            media.Attributes.Add(
                colon < 0 ? new SdpAttribute(line) : new SdpAttribute(line[..colon], line[(colon + 1)..]));
        }

        return media;
    }

    private static string[] Names(MediaDescription media)
    {
        var names = new string[media.Attributes.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = media.Attributes[i].Name;
        }

        return names;
    }
}
