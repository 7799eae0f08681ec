using System.Buffers.Binary;
using FeatureB2bua.Media.HoldMusic;

namespace FeatureB2bua.Media.Tests.HoldMusic;

public sealed class RtpPacketWriterTests
{
    [Fact]
    public void FirstPacket_HeaderBytesAndMarker()
    {
        var writer = new RtpPacketWriter(G711.PcmuPayloadType, 0x1234, 0x89ABCDEF, 0xCAFEBABE);
        var buffer = new byte[200];

        var length = writer.Write(buffer, [1, 2, 3], 160);

        Assert.Equal(15, length);
        Assert.Equal(
            new byte[] { 0x80, 0x80, 0x12, 0x34, 0x89, 0xAB, 0xCD, 0xEF, 0xCA, 0xFE, 0xBA, 0xBE, 1, 2, 3 },
            buffer[..length]);
    }

    [Fact]
    public void LaterPackets_HaveNoMarker_AndAdvanceSequenceByOneAndTimestampBySamples()
    {
        var writer = new RtpPacketWriter(G711.PcmaPayloadType, 10, 1000, 7);
        var buffer = new byte[172];
        var payload = new byte[160];

        writer.Write(buffer, payload, 160);
        writer.Write(buffer, payload, 160);

        Assert.Equal(new byte[] { 0x80, 0x08, 0x00, 0x0B, 0x00, 0x00, 0x04, 0x88, 0, 0, 0, 7 }, buffer[..12]);
        Assert.Equal(12, writer.SequenceNumber);
        Assert.Equal(1320u, writer.Timestamp);
    }

    [Fact]
    public void SequenceNumber_WrapsFrom65535To0()
    {
        var writer = new RtpPacketWriter(0, 65534, 0, 1);
        var buffer = new byte[12];

        var sequences = Enumerable.Range(0, 3).Select(_ =>
        {
            writer.Write(buffer, [], 160);
            return BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2));
        }).ToArray();

        Assert.Equal(new ushort[] { 65534, 65535, 0 }, sequences);
    }

    [Fact]
    public void Timestamp_WrapsAsAUInt()
    {
        var writer = new RtpPacketWriter(0, 0, uint.MaxValue - 159, 1);
        var buffer = new byte[12];

        writer.Write(buffer, [], 160);
        Assert.Equal(uint.MaxValue - 159, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)));
        writer.Write(buffer, [], 160);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)));
        writer.Write(buffer, [], 160);
        Assert.Equal(160u, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)));
    }

    [Fact]
    public void Skip_MovesTheTimestampNotTheSequence_AndMarksTheNextPacket()
    {
        var writer = new RtpPacketWriter(0, 100, 0, 1);
        var buffer = new byte[12];
        writer.Write(buffer, [], 160);

        writer.Skip(1600);
        writer.Write(buffer, [], 160);

        Assert.Equal(0x80, buffer[1]);
        Assert.Equal(101, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)));
        Assert.Equal(1760u, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)));

        writer.Write(buffer, [], 160);
        Assert.Equal(0x00, buffer[1]);
    }

    [Fact]
    public void RandomStart_DiffersBetweenStreams()
    {
        var writers = Enumerable.Range(0, 8).Select(_ => new RtpPacketWriter(0)).ToList();

        Assert.True(writers.Select(w => w.Ssrc).Distinct().Count() > 1);
        Assert.True(writers.Select(w => w.Timestamp).Distinct().Count() > 1);
        Assert.True(writers.Select(w => w.SequenceNumber).Distinct().Count() > 1);
    }

    [Fact]
    public void TooSmallBuffer_OrInvalidPayloadType_IsRejected()
    {
        var writer = new RtpPacketWriter(0, 0, 0, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(new byte[171], new byte[160], 160));
        Assert.Equal(0, writer.SequenceNumber);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacketWriter(128));
    }
}
