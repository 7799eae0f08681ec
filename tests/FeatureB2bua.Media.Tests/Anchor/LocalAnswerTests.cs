using System.Text;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Media.HoldMusic;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Media.Tests.Anchor;

/// <summary>The anchor answering a party's offer itself (a star code): one G.711 stream of ours, the rest rejected.</summary>
public sealed class LocalAnswerTests : IDisposable
{
    private const int PortMin = 10800;
    private const int PortMax = 10899;
    private const string Caller = "192.0.2.10";

    private readonly ManualTimeProvider _clock = new();
    private readonly MediaAnchor _anchor;

    public LocalAnswerTests() => _anchor = TestAnchor.Create(PortMin, PortMax, _clock);

    public void Dispose() => _anchor.Dispose();

    [Fact]
    public void Answer_IsOurAddressAndPort_TheFirstG711WithTelephoneEvent_Sendonly()
    {
        var session = _anchor.OpenCall();

        var answer = Answer(session, Sdp.Audio(Caller, 49170));

        var origin = TestAnchor.Parse(answer).Origin;
        Assert.Equal(("-", "127.0.0.1"), (origin.Username, origin.Address));
        Assert.Equal(["c=IN IP4 127.0.0.1"], TestAnchor.Lines(answer, "c="));
        Assert.Equal(["t=0 0"], TestAnchor.Lines(answer, "t="));
        var port = TestAnchor.PortOf(answer);
        Assert.InRange(port, PortMin, PortMax - 1);
        Assert.Equal([$"m=audio {port} RTP/AVP 0 101"], TestAnchor.Lines(answer, "m="));
        Assert.Equal(["a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:20", "a=sendonly"], TestAnchor.Lines(answer, "a="));
        Assert.DoesNotContain(Caller, answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_TakesPcmaWhenTheOfferListsItFirst_WithoutTelephoneEventWhenNoneIsOffered()
    {
        var session = _anchor.OpenCall();

        var answer = Answer(session, Sdp.Of("v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0", "m=audio 49170 RTP/AVP 18 8 0"));

        Assert.EndsWith(" RTP/AVP 8", TestAnchor.Lines(answer, "m=")[0], StringComparison.Ordinal);
        Assert.Equal(["a=rtpmap:8 PCMA/8000", "a=ptime:20", "a=sendonly"], TestAnchor.Lines(answer, "a="));
    }

    /// <summary>RFC 3264 §6.1; c=0.0.0.0 asks for nothing to be sent to it (§8.4).</summary>
    [Theory]
    [InlineData(Caller, "sendrecv", "sendonly")]
    [InlineData(Caller, "recvonly", "sendonly")]
    [InlineData(Caller, "sendonly", "recvonly")]
    [InlineData(Caller, "inactive", "inactive")]
    [InlineData("0.0.0.0", "sendrecv", "recvonly")]
    public void Direction_IsOursToSend_UnlessTheOfferWantsNothing(string address, string offered, string answered)
    {
        var session = _anchor.OpenCall();

        var answer = Answer(session, Sdp.Audio(address, 49170, offered));

        Assert.Equal($"a={answered}", TestAnchor.Lines(answer, "a=")[^1]);
        Assert.Equal(["c=IN IP4 127.0.0.1"], TestAnchor.Lines(answer, "c="));
    }

    [Fact]
    public void OtherStreams_AreRejectedWithPortZero_KeepingTheirFormats()
    {
        var session = _anchor.OpenCall();

        var answer = Answer(session, Sdp.Of(
            "v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0",
            "m=video 49180 RTP/AVP 96", "a=rtpmap:96 H264/90000",
            "m=audio 49190 RTP/AVP 18", "a=rtpmap:18 G729/8000",
            "m=audio 49170 RTP/AVP 0", "a=sendrecv",
            "m=audio 49200 RTP/AVP 8"));

        var port = TestAnchor.PortOf(answer, 2);
        Assert.Equal(["m=video 0 RTP/AVP 96", "m=audio 0 RTP/AVP 18", $"m=audio {port} RTP/AVP 0", "m=audio 0 RTP/AVP 8"], TestAnchor.Lines(answer, "m="));
        Assert.InRange(port, PortMin, PortMax - 1);
        Assert.Equal(["a=rtpmap:0 PCMU/8000", "a=ptime:20", "a=sendonly"], TestAnchor.Lines(answer, "a="));
    }

    [Fact]
    public void NoG711Offered_IsRefused()
    {
        var session = _anchor.OpenCall();

        var error = Refuse(session, Sdp.Of("v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0", "m=audio 49170 RTP/AVP 18 101", "a=rtpmap:101 telephone-event/8000"));

        Assert.Equal("no G.711 codec offered", error);
    }

    [Fact]
    public void G711OnlyOverSrtp_IsRefused_NamingTheProfile()
    {
        var session = _anchor.OpenCall();

        var error = Refuse(session, Sdp.Of("v=0", $"o=phone 1 1 IN IP4 {Caller}", "s=-", $"c=IN IP4 {Caller}", "t=0 0", "m=audio 49170 RTP/SAVP 0"));

        Assert.Contains("RTP/SAVP", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnusableOffer_IsRefused_WithTheParsersReason()
    {
        var session = _anchor.OpenCall();

        Assert.NotEmpty(Refuse(session, Sdp.Audio("not-an-address", 49170)));
        Assert.NotEmpty(Refuse(session, "v=0\r\n"));
    }

    [Fact]
    public async Task ThePartyIsSentTo_FromThePortInTheAnswer()
    {
        var session = _anchor.OpenCall();
        using var phone = Phone.Open();
        var port = TestAnchor.PortOf(Answer(session, phone.Sdp()));

        Assert.True(session.PlayHoldMusic(CallSide.A, null));
        _clock.Advance(TimeSpan.Zero);

        var (packet, fromPort) = await Phone.ReceiveAsync(phone.Rtp);
        Assert.Equal(port, fromPort);
        Assert.Equal(G711.PcmuPayloadType, packet[1] & 0x7F);
    }

    [Fact]
    public void PassThroughMedia_HasNoAnchorToAnswerWith()
    {
        Assert.False(PassThroughMedia.Instance.TryAnswerLocally(CallSide.A, Encoding.UTF8.GetBytes(Sdp.Audio(Caller, 49170)), out var answer, out var error));
        Assert.Empty(answer);
        Assert.Equal("no media anchor", error);
    }

    private static string Answer(IMediaSession session, string offer)
    {
        Assert.True(session.TryAnswerLocally(CallSide.A, Encoding.UTF8.GetBytes(offer), out var answer, out var error), error);
        return Encoding.UTF8.GetString(answer);
    }

    private static string Refuse(IMediaSession session, string offer)
    {
        Assert.False(session.TryAnswerLocally(CallSide.A, Encoding.UTF8.GetBytes(offer), out var answer, out var error), "answered");
        Assert.Empty(answer);
        return error!;
    }
}
