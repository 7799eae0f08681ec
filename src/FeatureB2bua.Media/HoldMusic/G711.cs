using System.Numerics;

namespace FeatureB2bua.Media.HoldMusic;

/// <summary>
/// ITU-T G.711 companding of 16-bit linear samples, bit by bit as in the reference code: hold music is encoded once
/// per tune, so lookup tables would buy nothing. The decoders are the inverse, for checking and for whoever needs them.
/// </summary>
public static class G711
{
    /// <summary>RFC 3551 §6: PCMU, µ-law at 8 kHz.</summary>
    public const byte PcmuPayloadType = 0;

    /// <summary>RFC 3551 §6: PCMA, A-law at 8 kHz.</summary>
    public const byte PcmaPayloadType = 8;

    private const int MuLawBias = 0x84;
    private const int MuLawClip = 32635;

    public static byte EncodeMuLaw(short sample)
    {
        int value = sample;
        var sign = value < 0 ? 0x80 : 0;
        value = Math.Min(Math.Abs(value), MuLawClip) + MuLawBias;
        var exponent = BitOperations.Log2((uint)value) - 7;
        var mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    public static short DecodeMuLaw(byte code)
    {
        var inverted = ~code;
        var exponent = (inverted >> 4) & 0x07;
        var magnitude = ((((inverted & 0x0F) << 3) + MuLawBias) << exponent) - MuLawBias;
        return (short)((inverted & 0x80) != 0 ? -magnitude : magnitude);
    }

    /// <summary>A-law works on 13 bits; even bits are inverted on the line (the 0x55 mask) for clock recovery.</summary>
    public static byte EncodeALaw(short sample)
    {
        var value = sample >> 3;
        var mask = 0xD5;
        if (value < 0)
        {
            mask = 0x55;
            value = -value - 1;
        }

        var segment = value < 0x20 ? 0 : BitOperations.Log2((uint)value) - 4;
        var mantissa = (value >> (segment == 0 ? 1 : segment)) & 0x0F;
        return (byte)(((segment << 4) | mantissa) ^ mask);
    }

    public static short DecodeALaw(byte code)
    {
        var value = code ^ 0x55;
        var segment = (value >> 4) & 0x07;
        var magnitude = ((value & 0x0F) << 4) + (segment == 0 ? 8 : 0x108);
        if (segment > 1)
        {
            magnitude <<= segment - 1;
        }

        return (short)((value & 0x80) != 0 ? magnitude : -magnitude);
    }

    /// <summary>Encodes <paramref name="samples"/> into <paramref name="destination"/>, one byte each, in the law of <paramref name="payloadType"/>.</summary>
    public static void Encode(ReadOnlySpan<short> samples, Span<byte> destination, byte payloadType)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, samples.Length, nameof(destination));
        switch (payloadType)
        {
            case PcmuPayloadType:
                for (var i = 0; i < samples.Length; i++)
                {
                    destination[i] = EncodeMuLaw(samples[i]);
                }

                break;
            case PcmaPayloadType:
                for (var i = 0; i < samples.Length; i++)
                {
                    destination[i] = EncodeALaw(samples[i]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "G.711 is payload type 0 (PCMU) or 8 (PCMA)");
        }
    }
}
