namespace FeatureB2bua.Media.HoldMusic;

/// <summary>
/// One hold tune, encoded once in both G.711 laws and cut into 20 ms frames, so playing it to any number of held
/// parties costs a copy per packet and no encoding. The tail is padded with silence to a whole frame; under 20 ms of
/// quiet at the loop point is not heard.
/// </summary>
public sealed class HoldMusicTrack
{
    /// <summary>20 ms at 8 kHz, the default packetisation for G.711 (RFC 3551 §4.5.14) and one byte per sample.</summary>
    public const int SamplesPerFrame = 160;

    private readonly byte[] _muLaw;
    private readonly byte[] _aLaw;

    /// <param name="name">Says which tune this is, in logs.</param>
    /// <param name="samples">8 kHz mono 16-bit; at least one.</param>
    public HoldMusicTrack(string name, ReadOnlySpan<short> samples)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (samples.IsEmpty)
        {
            throw new ArgumentException("Hold music needs at least one sample", nameof(samples));
        }

        Name = name;
        FrameCount = (samples.Length + SamplesPerFrame - 1) / SamplesPerFrame;
        _muLaw = Encode(samples, FrameCount, G711.PcmuPayloadType);
        _aLaw = Encode(samples, FrameCount, G711.PcmaPayloadType);
    }

    public string Name { get; }

    public int FrameCount { get; }

    /// <summary>How long the track plays once through: 20 ms a frame.</summary>
    public TimeSpan Length => TimeSpan.FromTicks((long)FrameCount * SamplesPerFrame * TimeSpan.TicksPerSecond / WavReader.SampleRate);

    /// <summary>The payload of frame <paramref name="index"/>, counting on through the loop: index <see cref="FrameCount"/> is frame 0 again.</summary>
    /// <param name="payloadType"><see cref="G711.PcmuPayloadType"/> or <see cref="G711.PcmaPayloadType"/>.</param>
    public ReadOnlySpan<byte> Frame(int index, byte payloadType)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var encoded = payloadType switch
        {
            G711.PcmuPayloadType => _muLaw,
            G711.PcmaPayloadType => _aLaw,
            _ => throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "G.711 is payload type 0 (PCMU) or 8 (PCMA)"),
        };
        return encoded.AsSpan(index % FrameCount * SamplesPerFrame, SamplesPerFrame);
    }

    private static byte[] Encode(ReadOnlySpan<short> samples, int frames, byte payloadType)
    {
        var encoded = new byte[frames * SamplesPerFrame];
        G711.Encode(samples, encoded, payloadType);
        encoded.AsSpan(samples.Length).Fill(payloadType == G711.PcmuPayloadType ? G711.EncodeMuLaw(0) : G711.EncodeALaw(0));
        return encoded;
    }
}
