using System.Text;

namespace FeatureB2bua.Core.Tracing;

/// <summary>
/// Takes the credentials out of a traced message: the value of every Authorization and Proxy-Authorization header
/// (RFC 3261 §20.7, §20.28) becomes <c>[redacted]</c>, whatever the case of its name, the spaces around the colon
/// or the lines it is folded over (§7.3.1). Neither header has a compact form (§7.3.3), so the full names are all
/// there is. Only the header section is looked at; the body is left as it is.
/// </summary>
public static class TraceRedaction
{
    public const string Redacted = "[redacted]";

    public static string Redact(string message)
    {
        var headerEnd = HeaderSectionEnd(message);
        if (message.AsSpan(0, headerEnd).IndexOf("authorization", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return message;
        }

        var result = new StringBuilder(message.Length);
        var folded = false;
        var at = 0;
        while (at < headerEnd)
        {
            var newline = message.IndexOf('\n', at, headerEnd - at);
            var lineEnd = newline < 0 ? headerEnd : newline + 1;
            var line = message.AsSpan(at, lineEnd - at);
            at = lineEnd;
            if (folded && line.Length > 0 && line[0] is ' ' or '\t')
            {
                // A continuation of a redacted value (§7.3.1 folding): it goes with the value.
                continue;
            }

            folded = false;
            var colon = line.IndexOf(':');
            if (colon > 0 && IsCredentials(line[..colon].TrimEnd(" \t")))
            {
                result.Append(line[..(colon + 1)]).Append(' ').Append(Redacted).Append(LineEnding(line));
                folded = true;
                continue;
            }

            result.Append(line);
        }

        return result.Append(message.AsSpan(headerEnd)).ToString();
    }

    private static bool IsCredentials(ReadOnlySpan<char> name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase);

    private static ReadOnlySpan<char> LineEnding(ReadOnlySpan<char> line) =>
        line.EndsWith("\r\n") ? "\r\n" : line.EndsWith("\n") ? "\n" : "";

    /// <summary>Where the blank line that ends the headers starts (after CRLF CRLF or a bare LF LF); the whole text when there is none.</summary>
    private static int HeaderSectionEnd(string message)
    {
        var crlf = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lf = message.IndexOf("\n\n", StringComparison.Ordinal);
        return crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 2 : lf >= 0 ? lf + 1 : message.Length;
    }
}
