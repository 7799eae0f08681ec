using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>Parses an SDP body (RFC 8866). Never throws on malformed input.</summary>
public static class SdpParser
{
    private const int ExcerptBytes = 64;
    private const int MaxErrorLength = 300;

    /// <summary>
    /// Parses <paramref name="body"/>. On failure <paramref name="error"/> says what is wrong and,
    /// for a bad line, its number and the start of its text.
    /// </summary>
    public static bool TryParse(
        ReadOnlySpan<byte> body,
        [NotNullWhen(true)] out SessionDescription? sdp,
        [NotNullWhen(false)] out string? error)
    {
        sdp = null;
        var builder = new SdpBuilder();
        var lineNumber = 0;
        while (!body.IsEmpty)
        {
            // RFC 8866 §5: lines end in CRLF, but parsers should also accept a bare LF.
            var lf = body.IndexOf((byte)'\n');
            var line = lf < 0 ? body : body[..lf];
            body = lf < 0 ? default : body[(lf + 1)..];
            lineNumber++;
            if (!line.IsEmpty && line[^1] == '\r')
            {
                line = line[..^1];
            }

            // Tolerate blank lines, typically an extra CRLF at the end of the body.
            if (line.IsEmpty)
            {
                continue;
            }

            if (!TryCheckLine(line, out var reason)
                || !builder.TryAdd((char)line[0], Encoding.UTF8.GetString(line[2..]), out reason))
            {
                error = Printable($"line {lineNumber}: {reason}: \"{Excerpt(line)}\"");
                return false;
            }
        }

        if (!builder.TryFinish(out sdp, out error))
        {
            error = Printable(error);
            return false;
        }

        return true;
    }

    private static bool TryCheckLine(ReadOnlySpan<byte> line, [NotNullWhen(false)] out string? reason)
    {
        // RFC 8866 §5: every line is <type>=<value>, with no whitespace around the '='.
        if (line.Length < 2 || line[1] != (byte)'=')
        {
            reason = "expected <type>=<value>";
            return false;
        }

        // RFC 8866 §9: text fields exclude NUL, CR and LF; a stray CR would also not survive a rewrite.
        if (line.IndexOfAny((byte)'\0', (byte)'\r') >= 0)
        {
            reason = "line contains NUL or a bare CR";
            return false;
        }

        reason = null;
        return true;
    }

    private static string Excerpt(ReadOnlySpan<byte> line) =>
        line.Length > ExcerptBytes
            ? Encoding.UTF8.GetString(line[..ExcerptBytes]) + "..."
            : Encoding.UTF8.GetString(line);

    /// <summary>
    /// Errors quote peer input; keep them short and free of control characters so they are
    /// safe to log or to put in a SIP Warning header.
    /// </summary>
    private static string Printable(string message)
    {
        var length = Math.Min(message.Length, MaxErrorLength);
        var builder = new StringBuilder(length + 3);
        for (var i = 0; i < length; i++)
        {
            builder.Append(char.IsControl(message[i]) ? '?' : message[i]);
        }

        return length < message.Length ? builder.Append("...").ToString() : builder.ToString();
    }
}
