namespace FeatureB2bua.Media.HoldMusic;

/// <summary>
/// The tone that tells a caller a star code did what it asked: three short beeps, generated like <see cref="HoldTune"/>
/// so nothing is shipped. 400 Hz is the call-progress frequency most national tone plans use (ITU-T E.180 Supplement
/// 2), and a few short bursts is how plans commonly cadence a confirmation; 200 ms on and 200 ms off makes it a second
/// in all, long enough to be heard on a handset that opens its audio late.
/// </summary>
public static class ConfirmationTone
{
    private const int Frequency = 400;

    private const int Bursts = 3;

    private const int BurstMs = 200;

    private const int GapMs = 200;

    /// <summary>-14 dBFS: the loudness of a network tone, a little under the hold tune.</summary>
    private const double Peak = 0.2 * short.MaxValue;

    /// <summary>Raised-cosine ramps at each end of a burst, so it neither clicks on nor off.</summary>
    private const int RampMs = 5;

    private static readonly Lazy<HoldMusicTrack> Encoded = new(() => new HoldMusicTrack("confirmation tone", Generate()));

    /// <summary>The tone encoded for playing, once for every call that plays it.</summary>
    public static HoldMusicTrack Track => Encoded.Value;

    /// <summary>A fresh copy of the tone at <see cref="WavReader.SampleRate"/>, ending with its last burst; the same every time.</summary>
    public static short[] Generate()
    {
        const int rate = WavReader.SampleRate;
        const int burst = BurstMs * rate / 1000;
        const int period = (BurstMs + GapMs) * rate / 1000;
        const int ramp = RampMs * rate / 1000;
        var samples = new short[((Bursts - 1) * period) + burst];
        for (var b = 0; b < Bursts; b++)
        {
            for (var i = 0; i < burst; i++)
            {
                var edge = Math.Min(i, burst - 1 - i);
                var envelope = edge < ramp ? 0.5 - (0.5 * Math.Cos(Math.PI * edge / ramp)) : 1;
                samples[(b * period) + i] = (short)Math.Round(Peak * envelope * Math.Sin(2 * Math.PI * Frequency * i / rate));
            }
        }

        return samples;
    }
}
