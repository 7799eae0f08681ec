using FeatureB2bua.Media.HoldMusic;

namespace FeatureB2bua.Media.Tests.HoldMusic;

public sealed class WavReaderTests
{
    private const string Advice = "hold music must be PCM WAV, 8 kHz mono 16-bit preferred";

    [Fact]
    public void Pcm16Mono8k_SamplesComeOutUnchanged()
    {
        short[] samples = [0, 1, -1, short.MaxValue, short.MinValue, 1234, -4321];

        Assert.Equal(samples, WavReader.Parse(WavBuilder.Pcm16(8000, 1, samples), "t.wav"));
    }

    [Fact]
    public void Pcm8_UnsignedAround128_BecomesSigned16()
    {
        var wav = new WavBuilder().Format(1, 1, 8000, 8).Data([128, 0, 255, 129, 127]).Build();

        Assert.Equal(new short[] { 0, -32768, 32512, 256, -256 }, WavReader.Parse(wav, "t.wav"));
    }

    [Fact]
    public void Stereo_IsAveragedToMono()
    {
        var wav = WavBuilder.Pcm16(8000, 2, 1000, 3000, -2000, 2000, short.MaxValue, short.MaxValue, short.MinValue, short.MinValue);

        Assert.Equal(new short[] { 2000, 0, short.MaxValue, short.MinValue }, WavReader.Parse(wav, "t.wav"));
    }

    [Fact]
    public void Stereo8Bit_IsAveragedToMono()
    {
        var wav = new WavBuilder().Format(1, 2, 8000, 8).Data([128, 128, 0, 255]).Build();

        Assert.Equal(new short[] { 0, -128 }, WavReader.Parse(wav, "t.wav"));
    }

    [Theory]
    [InlineData(16000)]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(11025)]
    [InlineData(6000)]
    public void OtherRates_AreResampledTo8k_KeepingA1kHzTone(int rate)
    {
        const double amplitude = 10000;
        var seconds = 0.5;
        var input = Tone(1000, amplitude, rate, (int)(rate * seconds));

        var output = WavReader.Parse(WavBuilder.Pcm16(rate, 1, input), "t.wav");

        Assert.Equal((int)(input.Length * 8000L / rate), output.Length);
        var expected = Tone(1000, amplitude, 8000, output.Length);
        // Linear interpolation errs by up to A(ωh)²/8 between source samples h apart; the filter's ripple is far less.
        var tolerance = amplitude * (0.01 + (Math.Pow(2 * Math.PI * 1000 / rate, 2) / 8));
        // The filter sees silence beyond the ends, so compare away from them.
        for (var i = 100; i < output.Length - 100; i++)
        {
            Assert.InRange(output[i] - expected[i], -tolerance, tolerance);
        }
    }

    [Fact]
    public void Downsampling_RemovesToneAboveTheNewNyquist()
    {
        // 6 kHz would fold back to 2 kHz at 8 kHz without the low-pass.
        var output = WavReader.Parse(WavBuilder.Pcm16(44100, 1, Tone(6000, 10000, 44100, 44100)), "t.wav");

        Assert.All(output[200..^200], s => Assert.InRange((int)s, -300, 300));
    }

    [Fact]
    public void Extensible_WithPcmSubformat_IsRead()
    {
        short[] samples = [5, -5, 500];
        var wav = new WavBuilder().Extensible(1, 8000, 16, subformat: 1).Data(WavBuilder.Int16Bytes(samples)).Build();

        Assert.Equal(samples, WavReader.Parse(wav, "t.wav"));
    }

    [Fact]
    public void UnknownAndOddSizedChunks_AreSkipped()
    {
        short[] samples = [7, 8, 9];
        var wav = new WavBuilder()
            .Chunk("LIST", [1, 2, 3, 4, 5])
            .Format(1, 1, 8000, 16)
            .Chunk("fact", [1, 2, 3])
            .Data(WavBuilder.Int16Bytes(samples))
            .Chunk("id3 ", [9])
            .Build();

        Assert.Equal(samples, WavReader.Parse(wav, "t.wav"));
    }

    [Fact]
    public void OddDataChunkAtTheEnd_WithoutItsPadByte_IsRead()
    {
        var wav = new WavBuilder().Format(1, 1, 8000, 8).Data([128, 129, 130]).Build();

        Assert.Equal(new short[] { 0, 256, 512 }, WavReader.Parse(wav.AsSpan(..^1), "t.wav"));
    }

    [Fact]
    public void PartialSampleFrameAtTheEnd_IsDropped()
    {
        var wav = new WavBuilder().Format(1, 1, 8000, 16).Data([1, 0, 2]).Build();

        Assert.Equal(new short[] { 1 }, WavReader.Parse(wav, "t.wav"));
    }

    [Fact]
    public void Read_FromAPath_NamesTheFileInErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hold-{Guid.NewGuid():N}.wav");
        try
        {
            File.WriteAllBytes(path, WavBuilder.Pcm16(8000, 1, 42, 43));
            Assert.Equal(new short[] { 42, 43 }, WavReader.Read(path));

            File.WriteAllBytes(path, "not a wav"u8.ToArray());
            var error = Assert.Throws<InvalidDataException>(() => WavReader.Read(path));
            Assert.StartsWith(Path.GetFileName(path) + ": not a RIFF file", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NotRiff_IsRefused() =>
        AssertRefused("ID3\u0003 mp3 bytes here"u8.ToArray(), "hold.wav: not a RIFF file; " + Advice);

    [Fact]
    public void RiffButNotWave_IsRefused()
    {
        var wav = WavBuilder.Pcm16(8000, 1, 0);
        "AVI "u8.CopyTo(wav.AsSpan(8));

        AssertRefused(wav, "hold.wav: a RIFF file but not WAVE; " + Advice);
    }

    [Theory]
    [InlineData(3, 32, "format tag 3 (IEEE float, not PCM)")]
    [InlineData(85, 16, "format tag 85 (MPEG Layer 3, not PCM)")]
    [InlineData(7, 8, "format tag 7 (µ-law, not PCM)")]
    [InlineData(1234, 16, "format tag 1234 (not PCM)")]
    public void NonPcmFormatTags_AreRefused(int tag, int bits, string found) =>
        AssertRefused(new WavBuilder().Format(tag, 1, 8000, bits).Data(new byte[16]).Build(), $"hold.wav: {found}; {Advice}");

    [Fact]
    public void ExtensibleFloat_IsRefused() =>
        AssertRefused(
            new WavBuilder().Extensible(1, 8000, 32, subformat: 3).Data(new byte[16]).Build(),
            $"hold.wav: extensible format with subformat 00000003-0000-0010-8000-00aa00389b71 (not PCM); {Advice}");

    [Fact]
    public void Pcm24Bit_IsRefused() =>
        AssertRefused(new WavBuilder().Format(1, 1, 8000, 24).Data(new byte[12]).Build(), $"hold.wav: 24-bit samples (only 8- or 16-bit); {Advice}");

    [Fact]
    public void SixChannels_AreRefused() =>
        AssertRefused(new WavBuilder().Format(1, 6, 8000, 16).Data(new byte[24]).Build(), $"hold.wav: 6 channels (only mono or stereo); {Advice}");

    [Fact]
    public void TruncatedData_IsRefused()
    {
        var wav = WavBuilder.Pcm16(8000, 1, new short[100]);

        AssertRefused(wav[..^50], $"hold.wav: truncated: chunk 'data' declares 200 bytes but only 150 remain; {Advice}");
    }

    [Fact]
    public void TruncatedInsideFormat_IsRefused()
    {
        var wav = WavBuilder.Pcm16(8000, 1, new short[100]);

        AssertRefused(wav[..30], $"hold.wav: truncated: chunk 'fmt ' declares 16 bytes but only 10 remain; {Advice}");
    }

    [Fact]
    public void NoDataChunk_IsRefused() =>
        AssertRefused(new WavBuilder().Format(1, 1, 8000, 16).Chunk("LIST", [1, 2]).Build(), $"hold.wav: no 'data' chunk; {Advice}");

    [Fact]
    public void NoFormatChunk_IsRefused() =>
        AssertRefused(new WavBuilder().Data([1, 2]).Build(), $"hold.wav: no 'fmt ' chunk; {Advice}");

    [Fact]
    public void EmptyData_IsRefused() =>
        AssertRefused(new WavBuilder().Format(1, 1, 8000, 16).Data([]).Build(), $"hold.wav: the 'data' chunk holds no samples; {Advice}");

    [Fact]
    public void ZeroSampleRate_IsRefused() =>
        AssertRefused(new WavBuilder().Format(1, 1, 0, 16).Data([1, 2]).Build(), $"hold.wav: sample rate 0 Hz (outside 1000..384000); {Advice}");

    private static void AssertRefused(byte[] wav, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => WavReader.Parse(wav, "hold.wav"));
        Assert.Equal(message, error.Message);
    }

    private static short[] Tone(double frequency, double amplitude, int rate, int count) =>
        Enumerable.Range(0, count).Select(i => (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate))).ToArray();
}
