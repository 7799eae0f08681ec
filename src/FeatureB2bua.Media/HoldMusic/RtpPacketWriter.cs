using System.Buffers.Binary;
using System.Security.Cryptography;

namespace FeatureB2bua.Media.HoldMusic;

/// <summary>
/// The RTP header state of one outgoing stream (RFC 3550 §5.1): version 2, no padding, extension or CSRC, so every
/// header is 12 bytes. Packets are written into the caller's buffer, so a stream allocates nothing per packet.
/// </summary>
public sealed class RtpPacketWriter
{
    public const int HeaderLength = 12;

    private bool _marker = true;

    /// <summary>
    /// Starts the sequence number and timestamp at random values and picks a random SSRC (RFC 3550 §5.1, §8.1):
    /// unpredictable starting points make known-plaintext attacks on an encrypted stream harder, and a random SSRC
    /// makes a collision with another source unlikely.
    /// </summary>
    public RtpPacketWriter(byte payloadType)
        : this(payloadType, (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1), RandomUInt32(), RandomUInt32())
    {
    }

    public RtpPacketWriter(byte payloadType, ushort initialSequenceNumber, uint initialTimestamp, uint ssrc)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        PayloadType = payloadType;
        SequenceNumber = initialSequenceNumber;
        Timestamp = initialTimestamp;
        Ssrc = ssrc;
    }

    public byte PayloadType { get; }

    public uint Ssrc { get; }

    /// <summary>The sequence number the next packet carries.</summary>
    public ushort SequenceNumber { get; private set; }

    /// <summary>The timestamp the next packet carries.</summary>
    public uint Timestamp { get; private set; }

    /// <summary>
    /// Writes a packet with <paramref name="payload"/>, then moves the sequence number on by one (wrapping after
    /// 65535) and the timestamp by <paramref name="samples"/>, the sampling instants the payload covers (wrapping as a uint).
    /// </summary>
    /// <returns>The packet's length in <paramref name="destination"/>.</returns>
    public int Write(Span<byte> destination, ReadOnlySpan<byte> payload, uint samples)
    {
        var length = HeaderLength + payload.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, length, nameof(destination));

        destination[0] = 0x80;
        destination[1] = (byte)((_marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Ssrc);
        payload.CopyTo(destination[HeaderLength..]);

        _marker = false;
        SequenceNumber++;
        Timestamp += samples;
        return length;
    }

    /// <summary>
    /// Time passes without packets: the timestamp moves on by <paramref name="samples"/> (it reflects the sampling
    /// instant, RFC 3550 §5.1) while the sequence number does not, and the next packet starts a new talkspurt, so it
    /// carries the marker (RFC 3551 §4.1) for the receiver to resynchronise its playout.
    /// </summary>
    public void Skip(uint samples)
    {
        Timestamp += samples;
        _marker = true;
    }

    private static uint RandomUInt32()
    {
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }
}
