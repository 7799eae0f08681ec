namespace FeatureB2bua.Media.HoldMusic;

/// <summary>
/// The hold music when none is configured, generated rather than shipped so the build carries no binary and no
/// licence question: a slow I–IV–V–I arpeggio in C major followed by a pause, which loops without a seam.
/// </summary>
public static class HoldTune
{
    /// <summary>-12 dBFS: clearly audible on a handset without the harshness of G.711 near full scale.</summary>
    private const double Peak = 0.25 * short.MaxValue;

    /// <summary>A touch of second harmonic makes the tone rounder than a bare sine.</summary>
    private const double SecondHarmonic = 0.3;

    private const int AttackMs = 15;
    private const int ReleaseMs = 60;
    private const int PauseMs = 1000;

    /// <summary>(MIDI note, milliseconds); every length is a whole number of 20 ms frames, so the loop is too.</summary>
    private static readonly (int Note, int Ms)[] Melody =
    [
        (72, 300), (76, 300), (79, 300), (76, 300),
        (77, 300), (81, 300), (84, 300), (81, 300),
        (79, 300), (83, 300), (86, 300), (83, 300),
        (84, 900),
    ];

    /// <summary>A fresh copy of the tune at <see cref="WavReader.SampleRate"/>; the same samples every time.</summary>
    public static short[] Generate()
    {
        const int rate = WavReader.SampleRate;
        var length = (Melody.Sum(n => n.Ms) + PauseMs) * rate / 1000;
        var samples = new short[length];
        var at = 0;
        foreach (var (note, ms) in Melody)
        {
            var frequency = 440 * Math.Pow(2, (note - 69) / 12.0);
            var count = ms * rate / 1000;
            for (var i = 0; i < count; i++)
            {
                var phase = 2 * Math.PI * frequency * i / rate;
                var tone = (Math.Sin(phase) + (SecondHarmonic * Math.Sin(2 * phase))) / (1 + SecondHarmonic);
                samples[at + i] = (short)Math.Round(Peak * Envelope(i, count) * tone);
            }

            at += count;
        }

        return samples;
    }

    /// <summary>Raised-cosine fade in and out, so each note starts and ends at zero and nothing clicks.</summary>
    private static double Envelope(int i, int count)
    {
        const int attack = AttackMs * WavReader.SampleRate / 1000;
        const int release = ReleaseMs * WavReader.SampleRate / 1000;
        if (i < attack)
        {
            return 0.5 - (0.5 * Math.Cos(Math.PI * i / attack));
        }

        var left = count - 1 - i;
        return left < release ? 0.5 - (0.5 * Math.Cos(Math.PI * left / release)) : 1;
    }
}
