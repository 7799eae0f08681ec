using System.Buffers;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Parsing;

/// <summary>
/// Cuts one message into start line, indexed header lines and body. It builds no header objects:
/// typed views are parsed on demand by <see cref="SipMessage"/>. The caller's bytes are copied once
/// into the message, so a pooled receive buffer can be reused at once.
/// </summary>
public static class SipParser
{
    // The headers a response copies from its request (RFC 3261 §8.2.6.2): past a limit the first of each is still kept.
    private const ulong AnswerHeaders = (1UL << (int)HeaderId.Via) | (1UL << (int)HeaderId.From) | (1UL << (int)HeaderId.To)
        | (1UL << (int)HeaderId.CallId) | (1UL << (int)HeaderId.CSeq);

    private const int AnswerHeaderCount = 5;

    /// <inheritdoc cref="Parse(ReadOnlySpan{byte}, ParseLimits, out SipRejection)"/>
    public static SipMessage? Parse(ReadOnlySpan<byte> data, out SipRejection rejection) => Parse(data, ParseLimits.Default, out rejection);

    /// <summary>
    /// Parses one message. A message comes back whenever the start line and header block could be cut,
    /// even when <paramref name="rejection"/> says it is malformed, so that a request can still be answered.
    /// </summary>
    public static SipMessage? Parse(ReadOnlySpan<byte> data, ParseLimits limits, out SipRejection rejection)
    {
        rejection = SipRejection.None;

        // RFC 3261 §7.5: CRLFs before the start line are ignored.
        var start = 0;
        while (start < data.Length && (data[start] == '\r' || data[start] == '\n'))
        {
            start++;
        }

        data = data[start..];
        var lineEnd = data.IndexOf((byte)'\n');
        if (lineEnd <= 0)
        {
            rejection = new SipRejection(SipRejectReason.BadStartLine);
            return null;
        }

        var startLine = TrimCr(data[..lineEnd]);
        var isResponse = startLine.StartsWith("SIP/"u8);
        var entries = ArrayPool<HeaderEntry>.Shared.Rent(limits.MaxHeaders + AnswerHeaderCount);
        try
        {
            var position = lineEnd + 1;
            var headerCount = 0;
            var headerLines = 0;
            var vias = 0;
            var kept = 0UL;
            var contentLength = -1;
            var terminated = false;
            while (position < data.Length)
            {
                if (data[position] == '\n' || (data[position] == '\r' && position + 1 < data.Length && data[position + 1] == '\n'))
                {
                    position += data[position] == '\r' ? 2 : 1;
                    terminated = true;
                    break;
                }

                var lineStart = position;
                var end = FindHeaderLineEnd(data, position, out position);
                var pastLimit = ++headerLines > limits.MaxHeaders;
                if (pastLimit)
                {
                    Note(ref rejection, new SipRejection(SipRejectReason.TooManyHeaders));
                }

                if (!TryIndexHeader(data, lineStart, end, out var entry))
                {
                    Note(ref rejection, new SipRejection(SipRejectReason.MalformedHeaderLine));
                    continue;
                }

                var bit = 1UL << (int)entry.Id;
                if (entry.Id == HeaderId.Via && (vias += CountValues(data.Slice(entry.ValueStart, entry.ValueLength))) > limits.MaxVias)
                {
                    Note(ref rejection, new SipRejection(SipRejectReason.TooManyVias));
                    pastLimit |= (kept & bit) != 0;
                }

                if (pastLimit && ((AnswerHeaders & bit) == 0 || (kept & bit) != 0))
                {
                    continue;
                }

                kept |= bit & AnswerHeaders;

                if (entry.Id == HeaderId.ContentLength)
                {
                    var value = data.Slice(entry.ValueStart, entry.ValueLength);
                    if (!TryParseContentLength(value, out var length) || (contentLength >= 0 && length != contentLength))
                    {
                        // RFC 4475 §3.1.2.3 and §3.3.9: a negative, malformed or conflicting length leaves the body unknowable.
                        Note(ref rejection, new SipRejection(SipRejectReason.BadHeader, HeaderId.ContentLength));
                    }
                    else
                    {
                        contentLength = length;
                    }
                }

                entries[headerCount++] = entry;
            }

            if (!terminated)
            {
                // Lenient for a datagram that ends without the empty line; nothing of a body can be known.
                Note(ref rejection, new SipRejection(SipRejectReason.NoHeaderTerminator));
            }

            var bodyStart = Math.Min(position, data.Length);
            var available = data.Length - bodyStart;
            int bodyLength;
            if (contentLength < 0)
            {
                // RFC 3261 §18.3: without Content-Length a datagram's body runs to its end (RFC 2543 style, RFC 4475 §3.4.1).
                bodyLength = available;
            }
            else if (contentLength > available)
            {
                // RFC 3261 §18.3: a datagram shorter than Content-Length is an error (RFC 4475 §3.1.2.2).
                Note(ref rejection, new SipRejection(SipRejectReason.BodyShorterThanContentLength));
                bodyLength = available;
            }
            else
            {
                // RFC 3261 §18.3: octets past Content-Length are discarded (RFC 4475 §3.1.1.8).
                bodyLength = contentLength;
            }

            var buffer = data[..(bodyStart + bodyLength)].ToArray();
            var headers = entries.AsSpan(0, headerCount).ToArray();
            var message = new SipMessage(buffer, headers, bodyStart, bodyLength);
            if (!message.ParseStartLine(startLine.Length, isResponse, out var startFault))
            {
                // A broken start line (505 above all) says more than any header fault found before it.
                rejection = startFault;
            }

            return message;
        }
        finally
        {
            ArrayPool<HeaderEntry>.Shared.Return(entries);
        }
    }

    /// <summary>Values in a list header: commas outside quoted strings and &lt;&gt; separate them (RFC 3261 §7.3.1).</summary>
    private static int CountValues(ReadOnlySpan<byte> value)
    {
        if (!value.Contains((byte)','))
        {
            return 1;
        }

        var count = 0;
        foreach (var _ in new HeaderValueSplitter(value))
        {
            count++;
        }

        return count;
    }

    private static void Note(ref SipRejection current, SipRejection fault)
    {
        if (!current.IsRejected)
        {
            current = fault;
        }
    }

    /// <summary>Returns the end of the logical header line (excluding CRLF), joining folded continuation lines (RFC 3261 §7.3.1).</summary>
    private static int FindHeaderLineEnd(ReadOnlySpan<byte> data, int position, out int next)
    {
        while (true)
        {
            var lf = data[position..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                next = data.Length;
                return data.Length;
            }

            var lineFeed = position + lf;
            var contentEnd = lineFeed > 0 && data[lineFeed - 1] == '\r' ? lineFeed - 1 : lineFeed;
            position = lineFeed + 1;
            if (position < data.Length && (data[position] == ' ' || data[position] == '\t'))
            {
                continue;
            }

            next = position;
            return contentEnd;
        }
    }

    private static bool TryIndexHeader(ReadOnlySpan<byte> data, int lineStart, int lineEnd, out HeaderEntry entry)
    {
        entry = default;
        var line = data[lineStart..lineEnd];
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        // header-name HCOLON: the name is a token, then optional whitespace before the colon.
        var nameLength = colon;
        while (nameLength > 0 && (line[nameLength - 1] == ' ' || line[nameLength - 1] == '\t'))
        {
            nameLength--;
        }

        var name = line[..nameLength];
        if (nameLength == 0 || !IsToken(name))
        {
            return false;
        }

        var valueStart = colon + 1;
        var valueEnd = line.Length;
        while (valueStart < valueEnd && ByteClass.IsLws(line[valueStart]))
        {
            valueStart++;
        }

        while (valueEnd > valueStart && ByteClass.IsLws(line[valueEnd - 1]))
        {
            valueEnd--;
        }

        entry = new HeaderEntry(HeaderNames.Lookup(name), lineStart, nameLength, lineStart + valueStart, valueEnd - valueStart);
        return true;
    }

    private static bool IsToken(ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            if (!ByteClass.IsToken(b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseContentLength(ReadOnlySpan<byte> value, out int length)
    {
        length = 0;
        if (value.IsEmpty || value.Length > 9)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (!ByteClass.IsDigit(b))
            {
                return false;
            }

            length = (length * 10) + (b - '0');
        }

        return true;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;
}
