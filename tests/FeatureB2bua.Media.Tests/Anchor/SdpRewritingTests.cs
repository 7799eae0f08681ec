using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;

namespace FeatureB2bua.Media.Tests.Anchor;

public sealed class SdpRewritingTests : IDisposable
{
    private const int PortMin = 10000;
    private const int PortMax = 10099;
    private const string Caller = "192.0.2.10";
    private const string Callee = "198.51.100.20";

    private readonly MediaAnchor _anchor = TestAnchor.Create(PortMin, PortMax);

    public void Dispose() => _anchor.Dispose();

    [Fact]
    public void ConnectionLines_SessionAndMediaLevel_BecomeOurAddress()
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Of(
            "v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0",
            "m=audio 49170 RTP/AVP 0", $"c=IN IP4 {Caller}",
            "m=video 49180 RTP/AVP 96", "a=rtpmap:96 H264/90000"));

        Assert.Equal(["c=IN IP4 127.0.0.1", "c=IN IP4 127.0.0.1"], TestAnchor.Lines(passed, "c="));
    }

    [Fact]
    public void MediaPort_IsTheEvenAnchorPortFacingTheReceivingParty()
    {
        var session = _anchor.OpenCall();

        var toB = TestAnchor.PortOf(session.Pass(CallSide.A, Sdp.Audio(Caller, 49170)));
        var toA = TestAnchor.PortOf(session.Pass(CallSide.B, Sdp.Audio(Callee, 30000)));

        Assert.All([toA, toB], port => Assert.InRange(port, PortMin, PortMax - 1));
        Assert.All([toA, toB], port => Assert.Equal(0, port % 2));
        Assert.NotEqual(toA, toB);
    }

    [Fact]
    public void Origin_IsOursWithOurAddress()
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Audio(Caller, 49170));

        var origin = TestAnchor.Parse(passed).Origin;
        Assert.Equal(("-", "IN", "IP4", "127.0.0.1"), (origin.Username, origin.NetType, origin.AddrType, origin.Address));
        Assert.NotEqual("1234", origin.SessionId);
    }

    [Fact]
    public void OriginVersion_SameSdpAgain_IsUnchanged()
    {
        var session = _anchor.OpenCall();
        var first = session.Pass(CallSide.A, Sdp.Audio(Caller, 49170));
        session.Pass(CallSide.B, Sdp.Audio(Callee, 30000));

        var again = session.Pass(CallSide.A, Sdp.Audio(Caller, 49170));
        var bumpedBySender = session.Pass(CallSide.A, Sdp.Audio(Caller, 49170, version: 2));

        Assert.Equal(first, again);
        Assert.Equal(first, bumpedBySender);
    }

    [Fact]
    public void OriginVersion_ChangedContent_GoesUpByOneWithTheSameSessionId()
    {
        var session = _anchor.OpenCall();
        var first = TestAnchor.Parse(session.Pass(CallSide.A, Sdp.Audio(Caller, 49170))).Origin;

        var held = TestAnchor.Parse(session.Pass(CallSide.A, Sdp.Audio(Caller, 49170, "sendonly", version: 2))).Origin;
        var resumed = TestAnchor.Parse(session.Pass(CallSide.A, Sdp.Audio(Caller, 49170, version: 3))).Origin;

        Assert.Equal(first.SessionId, held.SessionId);
        Assert.Equal(first.SessionVersion + 1, held.SessionVersion);
        Assert.Equal(first.SessionVersion + 2, resumed.SessionVersion);
    }

    [Fact]
    public void OriginVersion_IsKeptPerReceivingParty()
    {
        var session = _anchor.OpenCall();
        var toB = TestAnchor.Parse(session.Pass(CallSide.A, Sdp.Audio(Caller, 49170))).Origin;
        var toA = TestAnchor.Parse(session.Pass(CallSide.B, Sdp.Audio(Callee, 30000))).Origin;

        var toAAgain = TestAnchor.Parse(session.Pass(CallSide.B, Sdp.Audio(Callee, 30000, "recvonly", version: 9))).Origin;
        var toBAgain = TestAnchor.Parse(session.Pass(CallSide.A, Sdp.Audio(Caller, 49170))).Origin;

        Assert.Equal(toA.SessionVersion + 1, toAAgain.SessionVersion);
        Assert.Equal(toB, toBAgain);
    }

    [Fact]
    public void RtcpAttribute_WithAddress_BecomesOurPortPlusOneAndOurAddress()
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Audio(Caller, 49170, extra: $"a=rtcp:53020 IN IP4 {Caller}"));

        Assert.Equal([$"a=rtcp:{TestAnchor.PortOf(passed) + 1} IN IP4 127.0.0.1"], TestAnchor.Lines(passed, "a=rtcp"));
    }

    [Fact]
    public void RtcpAttribute_PortOnly_BecomesOurPortPlusOne()
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Audio(Caller, 49170, extra: "a=rtcp:53020"));

        Assert.Equal([$"a=rtcp:{TestAnchor.PortOf(passed) + 1}"], TestAnchor.Lines(passed, "a=rtcp"));
    }

    [Fact]
    public void RtcpAttribute_WithRtcpMux_IsOurRtpPort()
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Audio(Caller, 49170, extra: ["a=rtcp:49170", "a=rtcp-mux"]));

        Assert.Equal([$"a=rtcp:{TestAnchor.PortOf(passed)}", "a=rtcp-mux"], TestAnchor.Lines(passed, "a=rtcp"));
    }

    [Fact]
    public void IceAttributes_AreStripped_OthersKept()
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Of(
            "v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0",
            "a=ice-options:trickle", "a=ice-lite", "a=tool:phone",
            "m=audio 49170 RTP/AVP 0",
            "a=ice-ufrag:8hhY", "a=ice-pwd:asd88fgpdd777uzjYhagZg",
            $"a=candidate:1 1 UDP 2130706431 {Caller} 49170 typ host",
            "a=candidate:2 1 UDP 1694498815 203.0.113.77 45664 typ srflx raddr 192.0.2.10 rport 49170",
            "a=end-of-candidates", "a=ptime:20"));

        Assert.DoesNotContain("ice-", passed, StringComparison.Ordinal);
        Assert.DoesNotContain("candidate", passed, StringComparison.Ordinal);
        Assert.Equal(["a=tool:phone", "a=ptime:20"], TestAnchor.Lines(passed, "a="));
    }

    [Theory]
    [InlineData("sendrecv")]
    [InlineData("sendonly")]
    [InlineData("recvonly")]
    [InlineData("inactive")]
    public void DirectionAndCodecs_AreKept(string direction)
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Audio(Caller, 49170, direction));

        Assert.EndsWith(" RTP/AVP 0 8 101", TestAnchor.Lines(passed, "m=")[0], StringComparison.Ordinal);
        Assert.Equal(
            ["a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:20", $"a={direction}"],
            TestAnchor.Lines(passed, "a="));
    }

    [Fact]
    public void HoldAddress_StaysZero_WithOurPort()
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Audio("0.0.0.0", 49170));

        Assert.Equal(["c=IN IP4 0.0.0.0"], TestAnchor.Lines(passed, "c="));
        Assert.InRange(TestAnchor.PortOf(passed), PortMin, PortMax);
        Assert.DoesNotContain(Caller, passed, StringComparison.Ordinal);
    }

    [Fact]
    public void DisabledStream_PortZero_StaysZero()
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Of(
            "v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0",
            "m=audio 49170 RTP/AVP 0",
            "m=video 0 RTP/AVP 96"));

        Assert.Equal("m=video 0 RTP/AVP 96", TestAnchor.Lines(passed, "m=")[1]);
        Assert.InRange(TestAnchor.PortOf(passed), PortMin, PortMax);
    }

    [Fact]
    public void DisabledStream_KeepsNoRtcpAddressOfTheSender()
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Of(
            "v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0",
            "m=audio 49170 RTP/AVP 0",
            "m=video 0 RTP/AVP 96", $"a=rtcp:49181 IN IP4 {Caller}"));

        Assert.DoesNotContain(Caller, passed, StringComparison.Ordinal);
        Assert.Equal("m=video 0 RTP/AVP 96", TestAnchor.Lines(passed, "m=")[1]);
    }

    [Fact]
    public void SecondMediaLine_GetsItsOwnPorts()
    {
        var session = _anchor.OpenCall();
        var offer = Sdp.Of(
            "v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0",
            "m=audio 49170 RTP/AVP 0",
            "m=video 49180 RTP/AVP 96", "a=rtpmap:96 H264/90000");
        var answer = offer.Replace(Caller, Callee, StringComparison.Ordinal).Replace("4917", "3000", StringComparison.Ordinal).Replace("4918", "3010", StringComparison.Ordinal);

        var toB = session.Pass(CallSide.A, offer);
        var toA = session.Pass(CallSide.B, answer);

        int[] ports = [TestAnchor.PortOf(toB, 0), TestAnchor.PortOf(toB, 1), TestAnchor.PortOf(toA, 0), TestAnchor.PortOf(toA, 1)];
        Assert.Equal(4, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, PortMin, PortMax - 1));
        Assert.All(ports, port => Assert.Equal(0, port % 2));
    }

    [Fact]
    public void ReOffers_KeepThePorts()
    {
        var session = _anchor.OpenCall();
        var toB = TestAnchor.PortOf(session.Pass(CallSide.A, Sdp.Audio(Caller, 49170)));
        var toA = TestAnchor.PortOf(session.Pass(CallSide.B, Sdp.Audio(Callee, 30000)));

        var toBAgain = TestAnchor.PortOf(session.Pass(CallSide.A, Sdp.Audio("192.0.2.99", 50000, "sendonly", 2)));
        var toAAgain = TestAnchor.PortOf(session.Pass(CallSide.B, Sdp.Audio(Callee, 30002, "recvonly", 2)));
        var fromBNow = TestAnchor.PortOf(session.Pass(CallSide.B, Sdp.Audio(Callee, 30002, version: 3)));

        Assert.Equal((toB, toA, toA), (toBAgain, toAAgain, fromBNow));
    }

    [Fact]
    public void RestrictedCodecs_RemoveOtherFormatsWithTheirRtpmapAndFmtp()
    {
        var session = _anchor.OpenCall();
        session.RestrictCodecs(["PCMU", "telephone-event"]);

        var passed = session.Pass(CallSide.A, Sdp.Of(
            "v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0",
            "m=audio 49170 RTP/AVP 8 18 0 101",
            "a=rtpmap:8 PCMA/8000", "a=rtpmap:18 G729/8000", "a=fmtp:18 annexb=no",
            "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=sendrecv"));

        Assert.EndsWith(" RTP/AVP 0 101", TestAnchor.Lines(passed, "m=")[0], StringComparison.Ordinal);
        Assert.Equal(["a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=sendrecv"], TestAnchor.Lines(passed, "a="));
    }

    [Fact]
    public void RestrictedCodecs_StaticPayloadTypesWithoutRtpmap_AreKnownByNumber()
    {
        var session = _anchor.OpenCall();
        session.RestrictCodecs(["PCMU"]);

        var passed = session.Pass(CallSide.A, Sdp.Of("v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0", "m=audio 49170 RTP/AVP 18 8 0"));

        Assert.EndsWith(" RTP/AVP 0", TestAnchor.Lines(passed, "m=")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void RestrictedCodecs_OfferWithOnlyOthers_IsRefused()
    {
        var session = _anchor.OpenCall();
        session.RestrictCodecs(["PCMU", "telephone-event"]);

        var error = session.Refuse(CallSide.A, Sdp.Of(
            "v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0",
            "m=audio 49170 RTP/AVP 8 18", "a=rtpmap:8 PCMA/8000", "a=rtpmap:18 G729/8000"));

        Assert.Contains("PCMU", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RestrictedCodecs_OfferLeftWithOnlyTelephoneEvents_IsRefused()
    {
        var session = _anchor.OpenCall();
        session.RestrictCodecs(["PCMU", "telephone-event", "CN"]);

        session.Refuse(CallSide.A, Sdp.Of(
            "v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0",
            "m=audio 49170 RTP/AVP 8 18 101 13", "a=rtpmap:8 PCMA/8000", "a=rtpmap:18 G729/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16"));
    }

    [Theory]
    [InlineData("c=IN IP4 not-an-address", "m=audio 49170 RTP/AVP 0")]
    [InlineData("c=IN IP6 2001:db8::10", "m=audio 49170 RTP/AVP 0")]
    [InlineData("c=IN IP4 192.0.2.10", "m=audio notaport RTP/AVP 0")]
    [InlineData("c=IN IP4 192.0.2.10", "m=audio 49170")]
    [InlineData("a=tool:no-connection-line", "m=audio 49170 RTP/AVP 0")]
    public void UnusableConnectionOrMediaLine_IsRefused(string connection, string media)
    {
        var session = _anchor.OpenCall();

        session.Refuse(CallSide.A, Sdp.Of("v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", connection, "t=0 0", media));
    }

    [Fact]
    public void RefusedSdp_LeavesTheSessionUsable()
    {
        var session = _anchor.OpenCall();
        session.Refuse(CallSide.A, Sdp.Audio("not-an-address", 49170));

        var passed = session.Pass(CallSide.A, Sdp.Audio(Caller, 49170));

        Assert.InRange(TestAnchor.PortOf(passed), PortMin, PortMax);
    }

    [Fact]
    public void Output_NamesNoAddressOfTheSender()
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Of(
            "v=0", $"o=alice 2890844526 2890844526 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0",
            "a=ice-ufrag:F7gI", "a=ice-pwd:x9cml/YzichV2+XlhiMu8g",
            "m=audio 49170 RTP/AVP 0 101", $"c=IN IP4 {Caller}",
            "a=rtpmap:101 telephone-event/8000", $"a=rtcp:49171 IN IP4 {Caller}",
            $"a=candidate:1 1 UDP 2130706431 {Caller} 49170 typ host",
            $"a=candidate:2 1 UDP 1694498815 203.0.113.77 45664 typ srflx raddr {Caller} rport 49170",
            "m=video 49180 RTP/AVP 96", "a=rtpmap:96 H264/90000", $"a=rtcp:49181 IN IP4 {Caller}"));

        Assert.DoesNotContain(Caller, passed, StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113.77", passed, StringComparison.Ordinal);
        Assert.All(TestAnchor.Parse(passed).MediaDescriptions, media => Assert.InRange(media.Port, PortMin, PortMax));
        Assert.All(TestAnchor.Lines(passed, "a=rtcp:"), line => Assert.EndsWith(" IN IP4 127.0.0.1", line, StringComparison.Ordinal));
    }
}
