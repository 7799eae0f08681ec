using System.Buffers.Binary;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Media.HoldMusic;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Media.Tests.Anchor;

/// <summary>The anchor playing hold music to one party: G.711 packets paced on the clock, the other party held back.</summary>
public sealed class HoldMusicPlaybackTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly MediaAnchor _anchor;

    public HoldMusicPlaybackTests() => _anchor = TestAnchor.Create(10600, 10699, _clock);

    public void Dispose() => _anchor.Dispose();

    [Fact]
    public async Task Music_ReachesTheHeldParty_FromItsOwnAnchorPort_InPcmu_WhileTheOtherPartysMediaIsHeldBack()
    {
        using var call = AnchoredCall.Connect(_anchor);
        Assert.True(call.Session.PlayHoldMusic(CallSide.A, null));
        Assert.Equal("A", call.Session.Snapshot()!.HoldMusicTowards);

        Phone.Send(call.B.Rtp, call.BFacing, Packets.Rtp(7, ssrc: 0xB0B));
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        var tune = new HoldMusicLibrary(Microsoft.Extensions.Options.Options.Create(new HoldMusicOptions())).Default;
        // Packet n is due n * 20 ms after the start: 0 to 100 ms makes six, and B's packet is not among them.
        ushort? firstSequence = null;
        for (var i = 0; i < 6; i++)
        {
            var (packet, fromPort) = await Phone.ReceiveAsync(call.A.Rtp);
            Assert.Equal(call.AFacing, fromPort);
            Assert.Equal(172, packet.Length);
            Assert.Equal(G711.PcmuPayloadType, packet[1] & 0x7F);
            Assert.Equal(i == 0, (packet[1] & 0x80) != 0);
            var sequence = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));
            firstSequence ??= sequence;
            Assert.Equal((ushort)(firstSequence.Value + i), sequence);
            Assert.Equal(tune.Frame(i, G711.PcmuPayloadType).ToArray(), packet[12..]);
            Assert.NotEqual(0xB0Bu, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8)));
        }

        await Phone.ExpectNothingAsync(call.A.Rtp);
    }

    [Fact]
    public async Task StoppingTheMusic_LetsTheOtherPartysMediaThroughAgain()
    {
        using var call = AnchoredCall.Connect(_anchor);
        Assert.True(call.Session.PlayHoldMusic(CallSide.A, null));
        call.Session.StopHoldMusic(CallSide.A);
        Assert.Null(call.Session.Snapshot()!.HoldMusicTowards);
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        var packet = Packets.Rtp(9, ssrc: 0xB0B);
        Phone.Send(call.B.Rtp, call.BFacing, packet);
        await Phone.ExpectAsync(call.A.Rtp, packet, call.AFacing);
    }

    [Fact]
    public void APartyThatTookNoG711_CannotBePlayedMusic()
    {
        using var call = AnchoredCall.Connect(_anchor, aSdp: Sdp.Of("v=0", "o=a 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0", "m=audio 9 RTP/AVP 18", "a=rtpmap:18 G729/8000"));
        Assert.False(call.Session.PlayHoldMusic(CallSide.A, null));
        Assert.True(call.Session.PlayHoldMusic(CallSide.B, null));
    }

    [Fact]
    public async Task AFileThatCannotBeRead_PlaysTheDefaultTuneInstead()
    {
        using var call = AnchoredCall.Connect(_anchor);
        Assert.True(call.Session.PlayHoldMusic(CallSide.B, "/nonexistent/hold.wav"));
        _clock.Advance(TimeSpan.FromMilliseconds(40));
        var (packet, fromPort) = await Phone.ReceiveAsync(call.B.Rtp);
        Assert.Equal(call.BFacing, fromPort);
        Assert.Equal(172, packet.Length);
    }
}
