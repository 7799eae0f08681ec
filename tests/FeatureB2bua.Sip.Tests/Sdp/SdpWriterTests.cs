using System.Buffers;
using System.Text;
using FeatureB2bua.Sip.Sdp;

namespace FeatureB2bua.Sip.Tests.Sdp;

public sealed class SdpWriterTests
{
    private static readonly string[] CanonicalSrtp =
    [
        "v=0",
        "o=- 20518 0 IN IP4 203.0.113.1",
        "s= ",
        "c=IN IP4 203.0.113.1",
        "t=0 0",
        "m=audio 54400 RTP/SAVPF 0 8 101",
        "a=rtpmap:0 PCMU/8000",
        "a=ptime:20",
        "a=sendonly",
        "a=ice-ufrag:F7gI",
    ];

    public static TheoryData<string[]> Canonical =>
        new() { SdpSamples.Everything, SdpSamples.AliceOffer, CanonicalSrtp };

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Write_CanonicalInput_RoundTripsByteForByte(string[] lines)
    {
        var body = SdpSamples.Bytes(lines);
        Assert.True(SdpParser.TryParse(body, out var sdp, out var error), error);

        Assert.Equal(body, SdpWriter.ToArray(sdp));
        Assert.Equal(body.Length, SdpWriter.GetByteCount(sdp));
    }

    [Fact]
    public void Write_SessionLinesOutOfOrder_WritesRfcOrder()
    {
        // The second sample has c= after t=; RFC 8866 §5 puts c= first.
        var sdp = Parse(SdpSamples.SrtpOffer);

        var expected = SdpSamples.Text(
        [
            "v=0",
            "o=- 20518 0 IN IP4 203.0.113.1",
            "s= ",
            "c=IN IP4 203.0.113.1",
            "t=0 0",
            .. SdpSamples.SrtpOffer[5..],
        ]);
        Assert.Equal(expected, sdp.ToString());
    }

    [Fact]
    public void Write_AfterRewritingAddressPortAndVersion_WritesExpectedText()
    {
        var sdp = Parse(SdpSamples.AliceOffer);

        sdp.Connection = SdpConnection.Ip4("198.51.100.7");
        sdp.MediaDescriptions[0].Port = 30000;
        sdp.Origin = sdp.Origin with { Address = "b2bua.example.net" };
        sdp.IncrementSessionVersion();

        Assert.Equal(
            SdpSamples.Text(
                "v=0",
                "o=alice 2890844526 2890844527 IN IP4 b2bua.example.net",
                "s=-",
                "c=IN IP4 198.51.100.7",
                "t=0 0",
                "m=audio 30000 RTP/AVP 0",
                "a=rtpmap:0 PCMU/8000"),
            sdp.ToString());
    }

    [Fact]
    public void Write_AfterRewritingMediaConnectionRtcpAndDirection_KeepsOtherLinesInPlace()
    {
        var sdp = Parse(SdpSamples.SrtpOffer);
        var media = sdp.MediaDescriptions[0];

        media.Connection = SdpConnection.Ip6("2001:db8::7");
        media.Rtcp = new SdpRtcp(40001, SdpConnection.Ip6("2001:db8::7"));
        media.SetDirection(MediaDirection.Inactive);

        var text = sdp.ToString();
        Assert.Contains(
            "m=audio 54400 RTP/SAVPF 0 8 101\r\nc=IN IP6 2001:db8::7\r\na=rtpmap:0 PCMU/8000\r\n",
            text,
            StringComparison.Ordinal);
        Assert.EndsWith(
            "a=ptime:20\r\na=rtcp:40001 IN IP6 2001:db8::7\r\na=inactive\r\na=ice-ufrag:F7gI\r\n",
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Write_BuiltFromScratch_WritesMinimalOffer()
    {
        var sdp = new SessionDescription(new SdpOrigin("-", "42", 1, "IN", "IP4", "192.0.2.5"), "-")
        {
            Connection = SdpConnection.Ip4("192.0.2.5"),
        };
        var media = new MediaDescription("audio", 10000, "RTP/AVP") { Formats = { "0", "101" } };
        media.Attributes.Add(new SdpRtpMap(0, "PCMU", 8000).ToAttribute());
        media.Attributes.Add(new SdpRtpMap(101, "telephone-event", 8000).ToAttribute());
        media.Attributes.Add(new SdpFmtp(101, "0-16").ToAttribute());
        media.Ptime = 20;
        sdp.MediaDescriptions.Add(media);

        // No t= was added: the writer supplies the mandatory "t=0 0".
        Assert.Equal(
            SdpSamples.Text(
                "v=0",
                "o=- 42 1 IN IP4 192.0.2.5",
                "s=-",
                "c=IN IP4 192.0.2.5",
                "t=0 0",
                "m=audio 10000 RTP/AVP 0 101",
                "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:101 telephone-event/8000",
                "a=fmtp:101 0-16",
                "a=ptime:20"),
            sdp.ToString());
    }

    [Fact]
    public void TryWrite_DestinationTooSmall_ReturnsFalse()
    {
        var sdp = Parse(SdpSamples.AliceOffer);
        var size = SdpWriter.GetByteCount(sdp);

        Assert.False(SdpWriter.TryWrite(sdp, new byte[size - 1], out var written));
        Assert.Equal(0, written);
        Assert.Throws<ArgumentException>(() => SdpWriter.Write(sdp, new byte[size - 1]));
        Assert.True(SdpWriter.TryWrite(sdp, new byte[size + 10], out written));
        Assert.Equal(size, written);
    }

    [Fact]
    public void Write_BufferWriter_AppendsExactBytes()
    {
        var sdp = Parse(SdpSamples.Everything);
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("prefix"u8);

        SdpWriter.Write(sdp, buffer);

        Assert.Equal("prefix" + SdpSamples.Text(SdpSamples.Everything), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Write_NonAsciiText_CountsUtf8Bytes()
    {
        var sdp = Parse(["v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=Café ☎", "t=0 0"]);

        var bytes = SdpWriter.ToArray(sdp);

        Assert.Equal(SdpWriter.GetByteCount(sdp), bytes.Length);
        Assert.Equal(SdpSamples.Bytes("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=Café ☎", "t=0 0"), bytes);
    }

    [Theory]
    [InlineData("x\r\na=injected")]
    [InlineData("x\ny")]
    [InlineData("x\0y")]
    public void Write_FieldWithLineBreak_Throws(string sessionName)
    {
        var sdp = Parse(SdpSamples.AliceOffer);
        sdp.SessionName = sessionName;

        Assert.Throws<ArgumentException>(() => SdpWriter.GetByteCount(sdp));
        Assert.Throws<ArgumentException>(() => SdpWriter.ToArray(sdp));
    }

    private static SessionDescription Parse(string[] lines)
    {
        Assert.True(SdpParser.TryParse(SdpSamples.Bytes(lines), out var sdp, out var error), error);
        return sdp;
    }
}
