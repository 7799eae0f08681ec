using System.Buffers.Binary;

namespace FeatureB2bua.Media.HoldMusic;

/// <summary>
/// Reads a RIFF/WAVE file into the 8 kHz mono 16-bit samples that G.711 encodes. Operators supply whatever WAV they
/// have, so 8- or 16-bit PCM, mono or stereo, at any common rate is converted; anything else is refused with a message
/// that names the file and what it holds, because a hold tune that fails silently is only noticed by callers.
/// </summary>
public static class WavReader
{
    /// <summary>The rate the samples come out at: G.711's (RFC 3551 §4.5.14).</summary>
    public const int SampleRate = 8000;

    private const string Advice = "hold music must be PCM WAV, 8 kHz mono 16-bit preferred";
    private const ushort FormatPcm = 1;
    private const ushort FormatExtensible = 0xFFFE;
    private const int MinRate = 1000;
    private const int MaxRate = 384_000;

    /// <summary>KSDATAFORMAT_SUBTYPE_PCM past its first two bytes, which hold the format tag.</summary>
    private static ReadOnlySpan<byte> GuidTail => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <exception cref="InvalidDataException">The file is not a WAV this reader accepts.</exception>
    public static short[] Read(string path) => Parse(File.ReadAllBytes(path), Path.GetFileName(path));

    /// <param name="bytes">The whole file.</param>
    /// <param name="name">Names the file in error messages.</param>
    /// <exception cref="InvalidDataException">The bytes are not a WAV this reader accepts.</exception>
    public static short[] Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8))
        {
            throw Refuse(name, "not a RIFF file");
        }

        if (!bytes[8..12].SequenceEqual("WAVE"u8))
        {
            throw Refuse(name, "a RIFF file but not WAVE");
        }

        ReadOnlySpan<byte> format = default;
        ReadOnlySpan<byte> data = default;
        bool haveFormat = false, haveData = false;
        var offset = 12;
        while (bytes.Length - offset >= 8)
        {
            var id = bytes.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(offset + 4, 4));
            var body = offset + 8;
            if (size > (uint)(bytes.Length - body))
            {
                throw Refuse(name, $"truncated: chunk '{Ascii(id)}' declares {size} bytes but only {bytes.Length - body} remain");
            }

            var chunk = bytes.Slice(body, (int)size);
            if (!haveFormat && id.SequenceEqual("fmt "u8))
            {
                format = chunk;
                haveFormat = true;
            }
            else if (!haveData && id.SequenceEqual("data"u8))
            {
                data = chunk;
                haveData = true;
            }

            // RIFF pads odd-sized chunks to an even length; a last chunk often omits the pad byte, hence the Min.
            offset = (int)Math.Min(bytes.Length, body + (long)size + (size & 1));
        }

        if (!haveFormat)
        {
            throw Refuse(name, "no 'fmt ' chunk");
        }

        if (!haveData)
        {
            throw Refuse(name, "no 'data' chunk");
        }

        var (channels, rate, bits) = ParseFormat(format, name);
        var frameSize = channels * bits / 8;
        var frames = data.Length / frameSize;
        if (frames == 0)
        {
            throw Refuse(name, "the 'data' chunk holds no samples");
        }

        return Resampler.To8k(Decode(data, frames, channels, bits), rate);
    }

    private static (int Channels, int Rate, int Bits) ParseFormat(ReadOnlySpan<byte> format, string name)
    {
        if (format.Length < 16)
        {
            throw Refuse(name, $"'fmt ' chunk of {format.Length} bytes, too short");
        }

        var tag = BinaryPrimitives.ReadUInt16LittleEndian(format);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(format[2..]);
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(format[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(format[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(format[14..]);

        if (tag == FormatExtensible)
        {
            // WAVEFORMATEXTENSIBLE: cbSize, valid bits, channel mask, then the subformat GUID at byte 24.
            if (format.Length < 40)
            {
                throw Refuse(name, $"extensible 'fmt ' chunk of {format.Length} bytes, too short");
            }

            var subformat = format.Slice(24, 16);
            tag = BinaryPrimitives.ReadUInt16LittleEndian(subformat);
            if (tag != FormatPcm || !subformat[2..].SequenceEqual(GuidTail))
            {
                throw Refuse(name, $"extensible format with subformat {new Guid(subformat)} (not PCM)");
            }
        }
        else if (tag != FormatPcm)
        {
            throw Refuse(name, $"format tag {tag} ({FormatName(tag)})");
        }

        if (channels is not (1 or 2))
        {
            throw Refuse(name, $"{channels} channels (only mono or stereo)");
        }

        if (bits is not (8 or 16))
        {
            throw Refuse(name, $"{bits}-bit samples (only 8- or 16-bit)");
        }

        if (rate is < MinRate or > MaxRate)
        {
            throw Refuse(name, $"sample rate {rate} Hz (outside {MinRate}..{MaxRate})");
        }

        if (blockAlign != channels * bits / 8)
        {
            throw Refuse(name, $"block align {blockAlign} for {channels} channel(s) of {bits} bits");
        }

        return (channels, (int)rate, bits);
    }

    /// <summary>To signed 16-bit mono: 8-bit WAV is unsigned around 128; stereo is averaged.</summary>
    private static short[] Decode(ReadOnlySpan<byte> data, int frames, int channels, int bits)
    {
        var samples = new short[frames];
        var bytesPerSample = bits / 8;
        for (var i = 0; i < frames; i++)
        {
            var sum = 0;
            for (var c = 0; c < channels; c++)
            {
                var at = ((i * channels) + c) * bytesPerSample;
                sum += bits == 8 ? (data[at] - 128) << 8 : BinaryPrimitives.ReadInt16LittleEndian(data[at..]);
            }

            samples[i] = (short)(sum / channels);
        }

        return samples;
    }

    private static string FormatName(ushort tag) => tag switch
    {
        2 => "Microsoft ADPCM, not PCM",
        3 => "IEEE float, not PCM",
        6 => "A-law, not PCM",
        7 => "µ-law, not PCM",
        17 => "IMA ADPCM, not PCM",
        49 => "GSM 6.10, not PCM",
        85 => "MPEG Layer 3, not PCM",
        _ => "not PCM",
    };

    private static string Ascii(ReadOnlySpan<byte> id)
    {
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            chars[i] = id[i] is >= 0x20 and < 0x7F ? (char)id[i] : '?';
        }

        return new string(chars);
    }

    private static InvalidDataException Refuse(string name, string found) => new($"{name}: {found}; {Advice}");
}
