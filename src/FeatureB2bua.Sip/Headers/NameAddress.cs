using System.Text;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Headers;

/// <summary>
/// From, To, Contact, Route and Record-Route values: <c>[display-name] &lt;URI&gt; *(;param)</c> or a bare
/// addr-spec whose semicolon parameters belong to the header, not the URI (RFC 3261 §20.10, RFC 4475 §3.3.12).
/// </summary>
public sealed class NameAddress
{
    public NameAddress(SipUri uri, string? displayName = null, IReadOnlyList<SipParameter>? parameters = null)
    {
        Uri = uri;
        DisplayName = displayName;
        Parameters = parameters ?? [];
    }

    /// <summary>As written: a quoted-string keeps its quotes and escapes, tokens their single spaces.</summary>
    public string? DisplayName { get; }

    public SipUri Uri { get; }

    public IReadOnlyList<SipParameter> Parameters { get; }

    public string? Tag => ParameterList.GetValue(Parameters, "tag");

    public static bool TryParse(ReadOnlySpan<byte> value, out NameAddress? address)
    {
        address = null;
        var scanner = new SipScanner(value);
        scanner.SkipLws();
        string? displayName = null;
        SipUri? uri;
        if (scanner.Peek((byte)'"') || HasAngleOutsideQuotes(value))
        {
            if (!TryReadDisplayName(ref scanner, out displayName) || !scanner.TryConsume((byte)'<'))
            {
                return false;
            }

            var start = scanner.Position;
            var close = scanner.Rest.IndexOf((byte)'>');
            if (close < 0 || !SipUri.TryParse(scanner.Slice(start, start + close), out uri))
            {
                return false;
            }

            scanner.Position = start + close + 1;
        }
        else
        {
            // addr-spec: a URI with ';', ',' or '?' must be in <>, so the URI ends at the first ';' or LWS.
            var start = scanner.Position;
            while (!scanner.AtEnd && scanner.Current != ';' && !ByteClass.IsLws(scanner.Current))
            {
                scanner.Position++;
            }

            var text = scanner.Slice(start, scanner.Position);
            if (text.Contains((byte)'?') || !SipUri.TryParse(text, out uri))
            {
                return false;
            }
        }

        var parameters = new List<SipParameter>();
        if (!ParameterList.TryRead(ref scanner, parameters))
        {
            return false;
        }

        address = new NameAddress(uri!, displayName, parameters);
        return true;
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        if (DisplayName is not null)
        {
            builder.Append(DisplayName).Append(' ');
        }

        builder.Append('<').Append(Uri.Raw).Append('>');
        ParameterList.Append(builder, Parameters);
        return builder.ToString();
    }

    /// <summary>display-name = *(token LWS) / quoted-string; no space before '&lt;' is tolerated (RFC 4475 §3.1.1.6).</summary>
    private static bool TryReadDisplayName(ref SipScanner scanner, out string? displayName)
    {
        displayName = null;
        if (scanner.Peek((byte)'"'))
        {
            var start = scanner.Position;
            if (!scanner.TryReadQuotedString(out _))
            {
                return false;
            }

            displayName = Encoding.UTF8.GetString(scanner.Slice(start, scanner.Position));
            scanner.SkipLws();
            return true;
        }

        // Kept as written from the first token to the last: the LWS between tokens is part of the name.
        var first = -1;
        var last = -1;
        while (true)
        {
            scanner.SkipLws();
            if (scanner.Peek((byte)'<'))
            {
                displayName = first < 0 ? null : Encoding.ASCII.GetString(scanner.Slice(first, last));
                return true;
            }

            var tokenStart = scanner.Position;
            if (!scanner.TryReadToken(out _))
            {
                return false;
            }

            first = first < 0 ? tokenStart : first;
            last = scanner.Position;
        }
    }

    private static bool HasAngleOutsideQuotes(ReadOnlySpan<byte> value)
    {
        var inQuotes = false;
        for (var i = 0; i < value.Length; i++)
        {
            if (inQuotes && value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && value[i] == '<')
            {
                return true;
            }
        }

        return false;
    }
}
