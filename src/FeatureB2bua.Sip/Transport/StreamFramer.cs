using System.Buffers;
using System.Text;

namespace FeatureB2bua.Sip.Transport;

/// <summary>
/// Finds message boundaries on a SIP byte stream without parsing the message: leading CRLFs, the end of the
/// header block and Content-Length. Stateless, so a caller re-runs it on the whole unconsumed buffer.
/// </summary>
internal static class StreamFramer
{
    private const long ContentLengthTooLarge = (long)int.MaxValue + 1;

    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <param name="buffer">Unconsumed bytes, starting where the previous frame ended.</param>
    /// <param name="maxMessageSize">Largest header block plus body accepted.</param>
    /// <param name="messageLength">
    /// Bytes to consume for <see cref="FrameResult.Message"/>, <see cref="FrameResult.KeepAlivePing"/> and
    /// <see cref="FrameResult.StrayCrlf"/>; zero otherwise.
    /// </param>
    public static FrameResult TryFrame(in ReadOnlySequence<byte> buffer, int maxMessageSize, out long messageLength)
    {
        messageLength = 0;
        var leading = LeadingCrlf(buffer, out var crlfLength);
        if (leading != FrameResult.Message)
        {
            messageLength = crlfLength;
            return leading;
        }

        if (buffer.IsSingleSegment)
        {
            return FrameSpan(buffer.FirstSpan, maxMessageSize, out messageLength);
        }

        // Bytes spread over segments: find the header block end in place, then scan one contiguous copy of it.
        var reader = new SequenceReader<byte>(buffer.Length > maxMessageSize ? buffer.Slice(0, maxMessageSize) : buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> _, HeaderEnd, advancePastDelimiter: true))
        {
            return buffer.Length >= maxMessageSize ? FrameResult.Oversize : FrameResult.NeedMore;
        }

        var headerLength = (int)reader.Consumed;
        var rented = ArrayPool<byte>.Shared.Rent(headerLength);
        try
        {
            buffer.Slice(0, headerLength).CopyTo(rented);
            var result = FrameHeaders(rented.AsSpan(0, headerLength), maxMessageSize, out var total);
            return Complete(result, total, buffer.Length, out messageLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static FrameResult FrameSpan(ReadOnlySpan<byte> span, int maxMessageSize, out long messageLength)
    {
        messageLength = 0;
        var searched = span.Length > maxMessageSize ? span[..maxMessageSize] : span;
        var end = searched.IndexOf(HeaderEnd);
        if (end < 0)
        {
            return span.Length >= maxMessageSize ? FrameResult.Oversize : FrameResult.NeedMore;
        }

        var result = FrameHeaders(span[..(end + HeaderEnd.Length)], maxMessageSize, out var total);
        return Complete(result, total, span.Length, out messageLength);
    }

    private static FrameResult Complete(FrameResult headerResult, long total, long available, out long messageLength)
    {
        messageLength = 0;
        if (headerResult != FrameResult.Message)
        {
            return headerResult;
        }

        if (total > available)
        {
            return FrameResult.NeedMore;
        }

        messageLength = total;
        return FrameResult.Message;
    }

    // RFC 5626 §4.4.1: CRLFCRLF before a message is a ping. RFC 3261 §7.5: other CRLFs before the start
    // line are ignored. A lone CRLF at the end of the buffer waits: it may be the first half of a ping.
    private static FrameResult LeadingCrlf(in ReadOnlySequence<byte> buffer, out int length)
    {
        length = 0;
        Span<byte> head = stackalloc byte[4];
        var available = (int)Math.Min(buffer.Length, head.Length);
        buffer.Slice(0, available).CopyTo(head);
        head = head[..available];

        if (available == 0 || (available == 1 && head[0] == '\r'))
        {
            return FrameResult.NeedMore;
        }

        if (!head.StartsWith(Crlf))
        {
            return FrameResult.Message;
        }

        if (available == 2 || (available == 3 && head[2] == '\r'))
        {
            return FrameResult.NeedMore;
        }

        if (head.SequenceEqual(HeaderEnd))
        {
            length = HeaderEnd.Length;
            return FrameResult.KeepAlivePing;
        }

        length = Crlf.Length;
        return FrameResult.StrayCrlf;
    }

    // RFC 3261 §18.3: on a stream Content-Length is mandatory; without a trustworthy one the next message
    // cannot be found, so missing, malformed or conflicting values are all fatal for the connection.
    private static FrameResult FrameHeaders(ReadOnlySpan<byte> headerBlock, int maxMessageSize, out long total)
    {
        total = 0;
        long contentLength = -1;
        var rest = headerBlock[(headerBlock.IndexOf(Crlf) + Crlf.Length)..];
        while (rest.Length > Crlf.Length)
        {
            var lineEnd = rest.IndexOf(Crlf);
            var line = rest[..lineEnd];
            rest = rest[(lineEnd + Crlf.Length)..];

            // A folded continuation line (RFC 3261 §7.3.1) belongs to the previous header; Content-Length
            // is never folded in practice, so its continuation is not looked at.
            if (line.IsEmpty || line[0] is (byte)' ' or (byte)'\t')
            {
                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon < 0 || !IsContentLength(line[..colon].TrimEnd(" \t"u8)))
            {
                continue;
            }

            if (!TryParseLength(line[(colon + 1)..].Trim(" \t"u8), out var value)
                || (contentLength >= 0 && contentLength != value))
            {
                return FrameResult.BadContentLength;
            }

            contentLength = value;
        }

        if (contentLength < 0)
        {
            return FrameResult.BadContentLength;
        }

        total = headerBlock.Length + contentLength;
        return total > maxMessageSize ? FrameResult.Oversize : FrameResult.Message;
    }

    // RFC 3261 §7.3.3: "l" is the compact form of Content-Length; header names are case-insensitive.
    private static bool IsContentLength(ReadOnlySpan<byte> name) =>
        Ascii.EqualsIgnoreCase(name, "Content-Length"u8) || Ascii.EqualsIgnoreCase(name, "l"u8);

    // Digits only (no sign); values too large to matter are clamped so they are reported as oversize.
    private static bool TryParseLength(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = Math.Min(value * 10 + (b - '0'), ContentLengthTooLarge);
        }

        return true;
    }
}
