using FeatureB2bua.Media.HoldMusic;

namespace FeatureB2bua.Media.Tests.HoldMusic;

public sealed class HoldTuneTests
{
    private readonly short[] _tune = HoldTune.Generate();

    [Fact]
    public void IsAFewSecondsOfWholeFrames()
    {
        Assert.Equal(0, _tune.Length % HoldMusicTrack.SamplesPerFrame);
        Assert.InRange(_tune.Length / 8000.0, 3, 8);
    }

    [Fact]
    public void PeaksNearMinus12dBFS()
    {
        var peak = _tune.Max(s => Math.Abs((int)s));

        Assert.InRange(peak, 0.2 * short.MaxValue, 0.25 * short.MaxValue);
    }

    [Fact]
    public void IsMostlySound_ThenEndsInAPause()
    {
        var rms = Math.Sqrt(_tune.Average(s => (double)s * s));
        Assert.True(rms > 0.05 * short.MaxValue, $"rms {rms}");

        var lastSecond = _tune[^8000..];
        Assert.All(lastSecond, s => Assert.Equal(0, s));
    }

    [Fact]
    public void FadesInFromSilence_SoTheLoopSeamDoesNotClick()
    {
        // The tune ends in silence (above); its first millisecond rises from zero rather than jumping to the note.
        Assert.Equal(0, _tune[0]);
        Assert.All(_tune[..8], s => Assert.InRange(Math.Abs((int)s), 0, 0.02 * short.MaxValue));
    }

    [Fact]
    public void IsTheSameEveryTime() => Assert.Equal(_tune, HoldTune.Generate());
}
