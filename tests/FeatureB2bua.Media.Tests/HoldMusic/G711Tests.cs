using FeatureB2bua.Media.HoldMusic;

namespace FeatureB2bua.Media.Tests.HoldMusic;

public sealed class G711Tests
{
    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(-1, 0x7F)]
    [InlineData(8, 0xFE)]
    [InlineData(-8, 0x7E)]
    [InlineData(1000, 0xCE)]
    [InlineData(-1000, 0x4E)]
    [InlineData(32124, 0x80)]
    [InlineData(short.MaxValue, 0x80)]
    [InlineData(short.MinValue, 0x00)]
    public void MuLaw_KnownValues(short sample, int code) => Assert.Equal((byte)code, G711.EncodeMuLaw(sample));

    [Theory]
    [InlineData(0, 0xD5)]
    [InlineData(-1, 0x55)]
    [InlineData(1000, 0xFA)]
    [InlineData(-1000, 0x7A)]
    [InlineData(short.MaxValue, 0xAA)]
    [InlineData(short.MinValue, 0x2A)]
    public void ALaw_KnownValues(short sample, int code) => Assert.Equal((byte)code, G711.EncodeALaw(sample));

    [Theory]
    [InlineData(0xFF, 0)]
    [InlineData(0x80, 32124)]
    [InlineData(0x00, -32124)]
    [InlineData(0xCE, 988)]
    [InlineData(0xCF, 924)]
    public void MuLaw_DecodesKnownCodes(int code, short sample) => Assert.Equal(sample, G711.DecodeMuLaw((byte)code));

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    public void ALaw_DecodesKnownCodes(int code, short sample) => Assert.Equal(sample, G711.DecodeALaw((byte)code));

    /// <summary>G.711 keeps about 1/32 relative precision; small values fall in the finest step.</summary>
    [Fact]
    public void MuLaw_RoundTrip_StaysWithinHalfAStepAndIsMonotonic()
    {
        var previous = short.MinValue;
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            var decoded = G711.DecodeMuLaw(G711.EncodeMuLaw((short)x));
            Assert.InRange(Math.Abs(decoded - x), 0, 4 + (Math.Abs(x) / 16));
            Assert.True(decoded >= previous, $"µ-law not monotonic at {x}");
            previous = decoded;
        }
    }

    [Fact]
    public void ALaw_RoundTrip_StaysWithinHalfAStepAndIsMonotonic()
    {
        var previous = short.MinValue;
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            var decoded = G711.DecodeALaw(G711.EncodeALaw((short)x));
            Assert.InRange(Math.Abs(decoded - x), 0, 8 + (Math.Abs(x) / 32));
            Assert.True(decoded >= previous, $"A-law not monotonic at {x}");
            previous = decoded;
        }
    }

    [Fact]
    public void EveryCode_SurvivesDecodeThenEncode()
    {
        for (var code = 0; code < 256; code++)
        {
            Assert.Equal((byte)code, G711.EncodeALaw(G711.DecodeALaw((byte)code)));
            // µ-law has two zeros: 0x7F (negative zero) decodes to 0, which encodes as 0xFF.
            Assert.Equal(code == 0x7F ? (byte)0xFF : (byte)code, G711.EncodeMuLaw(G711.DecodeMuLaw((byte)code)));
        }
    }

    [Fact]
    public void Encode_Span_UsesTheLawOfThePayloadType()
    {
        short[] samples = [0, 1000, short.MinValue];
        var destination = new byte[3];

        G711.Encode(samples, destination, G711.PcmuPayloadType);
        Assert.Equal(new byte[] { 0xFF, 0xCE, 0x00 }, destination);

        G711.Encode(samples, destination, G711.PcmaPayloadType);
        Assert.Equal(new byte[] { 0xD5, 0xFA, 0x2A }, destination);

        Assert.Throws<ArgumentOutOfRangeException>(() => G711.Encode(samples, destination, 18));
        Assert.Throws<ArgumentOutOfRangeException>(() => G711.Encode(samples, new byte[2], G711.PcmuPayloadType));
    }
}
