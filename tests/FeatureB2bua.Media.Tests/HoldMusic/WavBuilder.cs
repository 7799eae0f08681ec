using System.Buffers.Binary;

namespace FeatureB2bua.Media.Tests.HoldMusic;

/// <summary>Assembles WAV files byte by byte, so each test states exactly what the reader is given.</summary>
internal sealed class WavBuilder
{
    private readonly List<byte> _body = [];

    public static byte[] Pcm16(int rate, int channels, params short[] samples) =>
        new WavBuilder().Format(1, channels, rate, 16).Data(Int16Bytes(samples)).Build();

    public static byte[] Int16Bytes(IEnumerable<short> samples) =>
        samples.SelectMany(s => new[] { (byte)s, (byte)(s >> 8) }).ToArray();

    public WavBuilder Format(int tag, int channels, int rate, int bits, byte[]? extension = null)
    {
        var blockAlign = channels * bits / 8;
        var fmt = new byte[16 + (extension?.Length ?? 0)];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, (ushort)tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(8), (uint)(rate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)bits);
        extension?.CopyTo(fmt, 16);
        return Chunk("fmt ", fmt);
    }

    /// <summary>WAVE_FORMAT_EXTENSIBLE with the given subformat tag in the standard GUID.</summary>
    public WavBuilder Extensible(int channels, int rate, int bits, int subformat)
    {
        var extension = new byte[24];
        BinaryPrimitives.WriteUInt16LittleEndian(extension, 22);
        BinaryPrimitives.WriteUInt16LittleEndian(extension.AsSpan(2), (ushort)bits);
        BinaryPrimitives.WriteUInt32LittleEndian(extension.AsSpan(4), channels == 1 ? 0x4u : 0x3u);
        BinaryPrimitives.WriteUInt16LittleEndian(extension.AsSpan(8), (ushort)subformat);
        byte[] tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        tail.CopyTo(extension, 10);
        return Format(0xFFFE, channels, rate, bits, extension);
    }

    public WavBuilder Data(byte[] data) => Chunk("data", data);

    /// <summary>Any chunk, with the pad byte RIFF wants after an odd size.</summary>
    public WavBuilder Chunk(string id, byte[] body)
    {
        _body.AddRange(id.Select(c => (byte)c));
        _body.AddRange(BitConverter.GetBytes((uint)body.Length));
        _body.AddRange(body);
        if (body.Length % 2 == 1)
        {
            _body.Add(0);
        }

        return this;
    }

    public byte[] Build()
    {
        var file = new List<byte>();
        file.AddRange("RIFF"u8.ToArray());
        file.AddRange(BitConverter.GetBytes((uint)(_body.Count + 4)));
        file.AddRange("WAVE"u8.ToArray());
        file.AddRange(_body);
        return [.. file];
    }
}
