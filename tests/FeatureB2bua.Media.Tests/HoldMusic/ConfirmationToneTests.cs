using FeatureB2bua.Media.HoldMusic;

namespace FeatureB2bua.Media.Tests.HoldMusic;

public sealed class ConfirmationToneTests
{
    private const int SamplesPerMs = 8;
    private readonly short[] _tone = ConfirmationTone.Generate();

    [Fact]
    public void IsOneSecondOfWholeFrames()
    {
        Assert.Equal(8000, _tone.Length);
        Assert.Equal(0, _tone.Length % HoldMusicTrack.SamplesPerFrame);
        Assert.Equal(TimeSpan.FromSeconds(1), new HoldMusicTrack("tone", _tone).Length);
    }

    [Fact]
    public void IsThreeBurstsOf400Hz_WithSilenceBetween()
    {
        for (var burst = 0; burst < 3; burst++)
        {
            var on = _tone.AsSpan(burst * 400 * SamplesPerMs, 200 * SamplesPerMs).ToArray();
            Assert.InRange(CrossingsUp(on), 79, 81);
            if (burst < 2)
            {
                Assert.All(_tone.AsSpan((burst * 400 * SamplesPerMs) + (200 * SamplesPerMs), 200 * SamplesPerMs).ToArray(), s => Assert.Equal(0, s));
            }
        }
    }

    [Fact]
    public void PeaksNearMinus14dBFS_AndStartsAndEndsAtZero()
    {
        Assert.InRange(_tone.Max(s => Math.Abs((int)s)), 0.19 * short.MaxValue, 0.2 * short.MaxValue);
        Assert.Equal(0, _tone[0]);
        Assert.All(_tone[^4..], s => Assert.InRange(Math.Abs((int)s), 0, 0.01 * short.MaxValue));
    }

    [Fact]
    public void IsTheSameEveryTime() => Assert.Equal(_tone, ConfirmationTone.Generate());

    /// <summary>Upward zero crossings: cycles of the tone, give or take one at the edges.</summary>
    private static int CrossingsUp(short[] samples) =>
        Enumerable.Range(1, samples.Length - 1).Count(i => samples[i - 1] <= 0 && samples[i] > 0);
}
