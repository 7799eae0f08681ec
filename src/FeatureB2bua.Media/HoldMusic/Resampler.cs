namespace FeatureB2bua.Media.HoldMusic;

/// <summary>
/// Converts mono samples to <see cref="WavReader.SampleRate"/> by linear interpolation. That is adequate for hold
/// music played through a telephone codec; when downsampling, a windowed-sinc low-pass (evaluated only at the source
/// samples the interpolation reads) first removes what lies above the new Nyquist frequency, which would otherwise
/// fold back as audible hiss.
/// </summary>
internal static class Resampler
{
    /// <summary>Below G.711's 4 kHz Nyquist frequency, so the filter's transition band mostly stays under it.</summary>
    private const double CutoffHz = 3500;

    /// <summary>Sinc zero crossings on each side of the centre: a compromise between sharpness and start-up cost.</summary>
    private const int ZeroCrossings = 8;

    public static short[] To8k(short[] samples, int rate)
    {
        const int target = WavReader.SampleRate;
        if (rate == target)
        {
            return samples;
        }

        var filter = rate > target ? new LowPass(samples, rate) : null;
        var output = new short[Math.Max(1, (int)((long)samples.Length * target / rate))];
        for (var i = 0; i < output.Length; i++)
        {
            // Position i * rate / target in source samples, kept in integers so the result is exact and repeatable.
            var position = (long)i * rate;
            var index = (int)(position / target);
            var fraction = position % target / (double)target;
            var next = Math.Min(index + 1, samples.Length - 1);
            var a = filter?.At(index) ?? samples[index];
            var b = filter?.At(next) ?? samples[next];
            output[i] = (short)Math.Clamp(Math.Round(a + ((b - a) * fraction)), short.MinValue, short.MaxValue);
        }

        return output;
    }

    /// <summary>A Hamming-windowed sinc with unit gain at DC; samples beyond either end count as silence.</summary>
    private sealed class LowPass
    {
        private readonly short[] _samples;
        private readonly double[] _taps;
        private readonly int _half;
        private int _lastIndex = -1;
        private double _lastValue;

        public LowPass(short[] samples, int rate)
        {
            _samples = samples;
            var cutoff = CutoffHz / rate;
            _half = (int)Math.Ceiling(ZeroCrossings / (2 * cutoff));
            _taps = new double[(2 * _half) + 1];
            var sum = 0.0;
            for (var k = -_half; k <= _half; k++)
            {
                var x = 2 * Math.PI * cutoff * k;
                var sinc = k == 0 ? 1 : Math.Sin(x) / x;
                var window = 0.54 + (0.46 * Math.Cos(Math.PI * k / _half));
                _taps[k + _half] = sinc * window;
                sum += _taps[k + _half];
            }

            for (var k = 0; k < _taps.Length; k++)
            {
                _taps[k] /= sum;
            }
        }

        /// <summary>The filtered sample at <paramref name="index"/>; consecutive outputs often read the same one, so the last is kept.</summary>
        public double At(int index)
        {
            if (index == _lastIndex)
            {
                return _lastValue;
            }

            var from = Math.Max(0, index - _half);
            var to = Math.Min(_samples.Length - 1, index + _half);
            var value = 0.0;
            for (var j = from; j <= to; j++)
            {
                value += _samples[j] * _taps[j - index + _half];
            }

            (_lastIndex, _lastValue) = (index, value);
            return value;
        }
    }
}
