using System.Buffers;
using System.Text;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Tests.Transport;

public sealed class StreamFramerTests
{
    private const int Max = 65535;

    private static readonly byte[] WithBody = SipText.Request("body", "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n");

    [Fact]
    public void Every_proper_prefix_needs_more_and_consumes_nothing()
    {
        for (var length = 0; length < WithBody.Length; length++)
        {
            var result = Frame(new ReadOnlySequence<byte>(WithBody, 0, length), out var consumed);
            Assert.True(result == FrameResult.NeedMore, $"prefix of {length} bytes gave {result}");
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void Whole_message_with_body_is_one_frame()
    {
        Assert.Equal(FrameResult.Message, Frame(new ReadOnlySequence<byte>(WithBody), out var length));
        Assert.Equal(WithBody.Length, length);
    }

    [Fact]
    public void Two_messages_in_one_buffer_are_framed_one_after_the_other()
    {
        var first = SipText.Request("one", "hello");
        var second = SipText.Request("two");
        var buffer = new ReadOnlySequence<byte>([.. first, .. second, .. "INV"u8]);

        Assert.Equal(FrameResult.Message, Frame(buffer, out var length));
        Assert.Equal(first.Length, length);
        buffer = buffer.Slice(length);
        Assert.Equal(FrameResult.Message, Frame(buffer, out length));
        Assert.Equal(second.Length, length);
        Assert.Equal(FrameResult.NeedMore, Frame(buffer.Slice(length), out _));
    }

    [Fact]
    public void Message_split_at_every_point_across_segments_is_framed()
    {
        for (var cut = 1; cut < WithBody.Length; cut++)
        {
            Assert.Equal(FrameResult.Message, Frame(Segments.SplitAt(WithBody, cut), out var length));
            Assert.Equal(WithBody.Length, length);
        }
    }

    [Fact]
    public void Message_in_one_byte_segments_is_framed_and_its_prefixes_need_more()
    {
        var sequence = Segments.Bytewise(WithBody);
        Assert.Equal(FrameResult.Message, Frame(sequence, out var length));
        Assert.Equal(WithBody.Length, length);
        for (var prefix = 0; prefix < WithBody.Length; prefix += 7)
        {
            Assert.Equal(FrameResult.NeedMore, Frame(sequence.Slice(0, prefix), out _));
        }
    }

    [Theory]
    [InlineData("l: 5")]
    [InlineData("L:5")]
    [InlineData("content-length: 5")]
    [InlineData("CONTENT-LENGTH : 5")]
    [InlineData("Content-Length\t:\t5 ")]
    [InlineData("Content-Length: 005")]
    public void Content_length_name_forms_are_recognised(string header)
    {
        var message = Message(header) + "hello";
        Assert.Equal(FrameResult.Message, Frame(Bytes(message), out var length));
        Assert.Equal(message.Length, length);
    }

    [Fact]
    public void Same_content_length_twice_is_accepted()
    {
        var message = Message("Content-Length: 2", "l: 2") + "ok";
        Assert.Equal(FrameResult.Message, Frame(Bytes(message), out var length));
        Assert.Equal(message.Length, length);
    }

    [Fact]
    public void Folded_lines_of_other_headers_are_skipped()
    {
        var message = Message("Subject: a long\r\n l: 99 is only folded text", "Content-Length: 0");
        Assert.Equal(FrameResult.Message, Frame(Bytes(message), out var length));
        Assert.Equal(message.Length, length);
    }

    [Theory]
    [InlineData("Subject: no length")]
    [InlineData("Content-Length: -1")]
    [InlineData("Content-Length: 12a")]
    [InlineData("Content-Length:")]
    [InlineData("Content-Length: 1 2")]
    [InlineData("Content-Length: 0x10")]
    [InlineData("Content-Length: 2\r\nl: 3")]
    public void Missing_malformed_or_conflicting_content_length_is_a_framing_error(string headers)
    {
        Assert.Equal(FrameResult.BadContentLength, Frame(Bytes(Message(headers) + "abc"), out var length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Bad_content_length_is_found_across_segments_too()
    {
        var message = Bytes(Message("Content-Length: 2", "Content-Length: 3"));
        Assert.Equal(FrameResult.BadContentLength, Frame(Segments.Bytewise(message), out _));
    }

    [Fact]
    public void Header_block_without_end_beyond_the_limit_is_oversize()
    {
        var endless = Bytes("INVITE sip:a@b SIP/2.0\r\nSubject: " + new string('x', 300));
        Assert.Equal(FrameResult.Oversize, TryFrame(new ReadOnlySequence<byte>(endless), 256, out _));
        Assert.Equal(FrameResult.Oversize, TryFrame(Segments.SplitAt(endless, 100, 200), 256, out _));
        Assert.Equal(FrameResult.NeedMore, TryFrame(new ReadOnlySequence<byte>(endless), 1024, out _));
    }

    [Fact]
    public void Body_that_takes_the_message_past_the_limit_is_oversize_before_it_arrives()
    {
        var header = Bytes(Message("Content-Length: 300"));
        Assert.Equal(FrameResult.Oversize, TryFrame(new ReadOnlySequence<byte>(header), 256, out _));
        Assert.Equal(FrameResult.Oversize, Frame(Bytes(Message("Content-Length: 99999999999999999999999")), out _));
    }

    [Fact]
    public void Message_of_exactly_the_limit_fits()
    {
        var message = Bytes(Message("Content-Length: 10") + "0123456789");
        Assert.Equal(FrameResult.Message, TryFrame(new ReadOnlySequence<byte>(message), message.Length, out var length));
        Assert.Equal(message.Length, length);
        Assert.Equal(FrameResult.Oversize, TryFrame(new ReadOnlySequence<byte>(message), message.Length - 1, out _));
    }

    [Fact]
    public void Double_crlf_before_a_message_is_a_keep_alive_ping()
    {
        Assert.Equal(FrameResult.KeepAlivePing, Frame(Bytes("\r\n\r\n"), out var length));
        Assert.Equal(4, length);
        Assert.Equal(FrameResult.KeepAlivePing, Frame(Segments.Bytewise(Bytes("\r\n\r\nOPTIONS")), out length));
        Assert.Equal(4, length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData("\r\n\r")]
    public void Start_of_a_possible_ping_needs_more(string text) => Assert.Equal(FrameResult.NeedMore, Frame(Bytes(text), out _));

    [Fact]
    public void Lone_crlf_before_a_start_line_is_skipped()
    {
        var buffer = new ReadOnlySequence<byte>([.. "\r\n"u8, .. SipText.Request("x")]);
        Assert.Equal(FrameResult.StrayCrlf, Frame(buffer, out var length));
        Assert.Equal(2, length);
        Assert.Equal(FrameResult.Message, Frame(buffer.Slice(length), out _));
    }

    private static FrameResult Frame(ReadOnlySequence<byte> buffer, out long length) => TryFrame(buffer, Max, out length);

    private static FrameResult Frame(byte[] bytes, out long length) => TryFrame(new ReadOnlySequence<byte>(bytes), Max, out length);

    private static FrameResult TryFrame(ReadOnlySequence<byte> buffer, int max, out long length) =>
        StreamFramer.TryFrame(buffer, max, out length);

    private static string Message(params string[] headers)
    {
        var text = new StringBuilder("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: c1\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        return text.Append("\r\n").ToString();
    }

    private static byte[] Bytes(string text) => SipText.Bytes(text);
}
