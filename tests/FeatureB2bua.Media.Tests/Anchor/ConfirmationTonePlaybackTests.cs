using System.Buffers.Binary;
using System.Text;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Media.HoldMusic;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Media.Tests.Anchor;

/// <summary>The confirmation tone through the anchor: played once, paced on the clock, in the party's G.711, then silence.</summary>
public sealed class ConfirmationTonePlaybackTests : IDisposable
{
    private static readonly TimeSpan ToneLength = TimeSpan.FromSeconds(1);
    private readonly ManualTimeProvider _clock = new();
    private readonly MediaAnchor _anchor;

    public ConfirmationTonePlaybackTests() => _anchor = TestAnchor.Create(10900, 10999, _clock);

    public void Dispose() => _anchor.Dispose();

    [Theory]
    [InlineData("0 8 101", G711.PcmuPayloadType)]
    [InlineData("8 0 101", G711.PcmaPayloadType)]
    public async Task AfterALocalAnswer_TheToneIs50PacketsFromTheAnswersPort_ThenSilence(string formats, byte payloadType)
    {
        var session = _anchor.OpenCall();
        using var phone = Phone.Open();
        var offer = phone.Sdp().Replace("RTP/AVP 0 8 101", "RTP/AVP " + formats, StringComparison.Ordinal);
        Assert.True(session.TryAnswerLocally(CallSide.A, Encoding.UTF8.GetBytes(offer), out var answer, out var error), error);
        var port = TestAnchor.PortOf(Encoding.UTF8.GetString(answer));

        Assert.Equal(ToneLength, session.PlayConfirmationTone(CallSide.A));
        Assert.Null(session.Snapshot()!.HoldMusicTowards);
        _clock.Advance(TimeSpan.FromSeconds(3));

        var track = ConfirmationTone.Track;
        ushort firstSequence = 0;
        uint firstTimestamp = 0;
        for (var i = 0; i < 50; i++)
        {
            var (packet, fromPort) = await Phone.ReceiveAsync(phone.Rtp);
            Assert.Equal(port, fromPort);
            Assert.Equal(172, packet.Length);
            Assert.Equal(payloadType, packet[1] & 0x7F);
            var (sequence, timestamp) = (BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)), BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4)));
            (firstSequence, firstTimestamp) = i == 0 ? (sequence, timestamp) : (firstSequence, firstTimestamp);
            Assert.Equal((ushort)(firstSequence + i), sequence);
            Assert.Equal(firstTimestamp + (uint)(i * 160), timestamp);
            Assert.Equal(track.Frame(i, payloadType).ToArray(), packet[12..]);
        }

        await Phone.ExpectNothingAsync(phone.Rtp);
    }

    [Fact]
    public async Task InACall_TheOtherPartyIsHeldBackForTheTone_ThenGetsThroughAgain()
    {
        using var call = AnchoredCall.Connect(_anchor);
        Assert.Equal(ToneLength, call.Session.PlayConfirmationTone(CallSide.A));

        Phone.Send(call.B.Rtp, call.BFacing, Packets.Rtp(1, ssrc: 0xB0B));
        await Wait.UntilAsync(() => _anchor.Counters.LatchCount == 1);
        Assert.Equal(1, _anchor.Counters.LatchCount);
        _clock.Advance(ToneLength);

        // B's packet, had it been let through, would be among these or the next datagram after them.
        for (var i = 0; i < 50; i++)
        {
            var (packet, _) = await Phone.ReceiveAsync(call.A.Rtp);
            Assert.NotEqual(0xB0Bu, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8)));
        }

        var after = Packets.Rtp(2, ssrc: 0xB0B);
        Phone.Send(call.B.Rtp, call.BFacing, after);
        await Phone.ExpectAsync(call.A.Rtp, after, call.AFacing);
    }

    [Fact]
    public void HoldMusic_ReplacesATone_AndIsReportedAsMusic()
    {
        using var call = AnchoredCall.Connect(_anchor);
        call.Session.PlayConfirmationTone(CallSide.B);

        Assert.True(call.Session.PlayHoldMusic(CallSide.B, null));
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("B", call.Session.Snapshot()!.HoldMusicTowards);
    }

    [Fact]
    public void APartyThatTookNoG711_GetsNoTone()
    {
        using var call = AnchoredCall.Connect(_anchor, aSdp: Sdp.Of("v=0", "o=a 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0", "m=audio 9 RTP/AVP 18", "a=rtpmap:18 G729/8000"));

        Assert.Null(call.Session.PlayConfirmationTone(CallSide.A));
        Assert.Equal(ToneLength, call.Session.PlayConfirmationTone(CallSide.B));
    }

    [Fact]
    public void PassThroughMedia_PlaysNoTone() => Assert.Null(PassThroughMedia.Instance.PlayConfirmationTone(CallSide.A));
}
