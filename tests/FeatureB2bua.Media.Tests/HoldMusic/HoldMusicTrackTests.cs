using FeatureB2bua.Media.HoldMusic;

namespace FeatureB2bua.Media.Tests.HoldMusic;

public sealed class HoldMusicTrackTests
{
    [Fact]
    public void Frames_AreTheSamplesEncodedInEachLaw()
    {
        var samples = Enumerable.Range(0, 320).Select(i => (short)((i * 97) - 15000)).ToArray();
        var track = new HoldMusicTrack("t", samples);

        Assert.Equal(2, track.FrameCount);
        Assert.Equal(samples[160..].Select(G711.EncodeMuLaw), track.Frame(1, G711.PcmuPayloadType).ToArray());
        Assert.Equal(samples[..160].Select(G711.EncodeALaw), track.Frame(0, G711.PcmaPayloadType).ToArray());
    }

    [Fact]
    public void PartialLastFrame_IsPaddedWithSilence()
    {
        var track = new HoldMusicTrack("t", Enumerable.Repeat((short)1000, 170).ToArray());

        Assert.Equal(2, track.FrameCount);
        var last = track.Frame(1, G711.PcmuPayloadType).ToArray();
        Assert.All(last[..10], b => Assert.Equal(G711.EncodeMuLaw(1000), b));
        Assert.All(last[10..], b => Assert.Equal(0xFF, b));
        Assert.All(track.Frame(1, G711.PcmaPayloadType)[10..].ToArray(), b => Assert.Equal(0xD5, b));
    }

    [Fact]
    public void Length_Is20msAFrame_CountingThePaddedOne()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(40), new HoldMusicTrack("t", new short[170]).Length);
        Assert.Equal(TimeSpan.FromMilliseconds(20), new HoldMusicTrack("t", new short[1]).Length);
    }

    [Fact]
    public void Frame_IndexLoops()
    {
        var track = new HoldMusicTrack("t", Enumerable.Range(0, 480).Select(i => (short)(i * 50)).ToArray());

        Assert.Equal(track.Frame(1, G711.PcmuPayloadType).ToArray(), track.Frame(4, G711.PcmuPayloadType).ToArray());
        Assert.Equal(track.Frame(0, G711.PcmuPayloadType).ToArray(), track.Frame(3_000_000, G711.PcmuPayloadType).ToArray());
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        var track = new HoldMusicTrack("t", [1]);

        Assert.Throws<ArgumentOutOfRangeException>(() => track.Frame(-1, G711.PcmuPayloadType));
        Assert.Throws<ArgumentOutOfRangeException>(() => track.Frame(0, 3));
        Assert.Throws<ArgumentException>(() => new HoldMusicTrack("t", []));
    }
}
