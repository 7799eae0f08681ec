using System.Text;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Headers;

/// <summary>
/// A URI as RFC 3261 §19.1 reads it. SIP and SIPS URIs are taken apart; any other scheme (tel, http, ...)
/// is kept whole so that a request to it can be answered 416 rather than refused as malformed.
/// Escapes are kept as written: decoding happens once, where a value is compared (RFC 4475 §3.1.1.3).
/// </summary>
public sealed class SipUri
{
    private SipUri(string raw, string scheme)
    {
        Raw = raw;
        Scheme = scheme;
    }

    public string Raw { get; }

    /// <summary>Lower case: schemes are case-insensitive (RFC 3261 §19.1.4).</summary>
    public string Scheme { get; }

    public bool IsSip => Scheme is "sip" or "sips";

    public bool IsSecure => Scheme == "sips";

    public string? User { get; private init; }

    public string? Password { get; private init; }

    /// <summary>Host as written; an IPv6 reference keeps its brackets.</summary>
    public string Host { get; private init; } = string.Empty;

    public int? Port { get; private init; }

    public IReadOnlyList<SipParameter> Parameters { get; private init; } = [];

    /// <summary>The <c>?name=value&amp;...</c> part, without the question mark.</summary>
    public string? Headers { get; private init; }

    public string? Transport => ParameterList.GetValue(Parameters, "transport");

    public bool IsLooseRouter => ParameterList.Find(Parameters, "lr") is not null;

    public string? MAddr => ParameterList.GetValue(Parameters, "maddr");

    public static SipUri Parse(string text) =>
        TryParse(Encoding.UTF8.GetBytes(text), out var uri) ? uri! : throw new FormatException("Not a URI: " + text);

    public static bool TryParse(ReadOnlySpan<byte> text, out SipUri? uri)
    {
        uri = null;
        var colon = text.IndexOf((byte)':');
        if (colon <= 0 || !IsScheme(text[..colon]) || colon == text.Length - 1)
        {
            return false;
        }

        foreach (var b in text)
        {
            // No URI holds whitespace, controls, quotes or angle brackets unescaped (RFC 4475 §3.1.2.8, §3.1.2.14).
            if (b <= 0x20 || b == 0x7F || b is (byte)'<' or (byte)'>' or (byte)'"')
            {
                return false;
            }
        }

        var raw = Encoding.UTF8.GetString(text);
        var schemeBytes = text[..colon];
        var scheme = Ascii.EqualsIgnoreCase(schemeBytes, "sip"u8) ? "sip"
            : Ascii.EqualsIgnoreCase(schemeBytes, "sips"u8) ? "sips"
            : null;
        if (scheme is null)
        {
            uri = new SipUri(raw, Encoding.ASCII.GetString(schemeBytes).ToLowerInvariant());
            return true;
        }

        return TryParseSip(text[(colon + 1)..], raw, scheme, out uri);
    }

    public override string ToString() => Raw;

    private static bool TryParseSip(ReadOnlySpan<byte> rest, string raw, string scheme, out SipUri? uri)
    {
        uri = null;
        string? user = null;
        string? password = null;
        var at = rest.IndexOf((byte)'@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            foreach (var b in userInfo)
            {
                if (!ByteClass.IsUserChar(b))
                {
                    return false;
                }
            }

            var passwordColon = userInfo.IndexOf((byte)':');
            var userPart = passwordColon < 0 ? userInfo : userInfo[..passwordColon];
            if (userPart.IsEmpty)
            {
                return false;
            }

            user = Encoding.ASCII.GetString(userPart);
            password = passwordColon < 0 ? null : Encoding.ASCII.GetString(userInfo[(passwordColon + 1)..]);
            rest = rest[(at + 1)..];
        }

        if (!TryReadHostPort(ref rest, out var host, out var port))
        {
            return false;
        }

        List<SipParameter>? parameters = null;
        while (!rest.IsEmpty && rest[0] == ';')
        {
            rest = rest[1..];
            var end = 0;
            while (end < rest.Length && rest[end] != ';' && rest[end] != '?')
            {
                end++;
            }

            var item = rest[..end];
            var equals = item.IndexOf((byte)'=');
            var name = equals < 0 ? item : item[..equals];
            if (name.IsEmpty || !AllParamChars(name) || (equals >= 0 && !AllParamChars(item[(equals + 1)..])))
            {
                return false;
            }

            (parameters ??= []).Add(new SipParameter(
                Encoding.ASCII.GetString(name),
                equals < 0 ? null : Encoding.ASCII.GetString(item[(equals + 1)..])));
            rest = rest[end..];
        }

        string? headers = null;
        if (!rest.IsEmpty)
        {
            if (rest[0] != '?' || rest.Length == 1)
            {
                return false;
            }

            headers = Encoding.ASCII.GetString(rest[1..]);
        }

        uri = new SipUri(raw, scheme)
        {
            User = user,
            Password = password,
            Host = host,
            Port = port,
            Parameters = parameters ?? (IReadOnlyList<SipParameter>)[],
            Headers = headers,
        };
        return true;
    }

    private static bool TryReadHostPort(ref ReadOnlySpan<byte> rest, out string host, out int? port)
    {
        host = string.Empty;
        port = null;
        int hostEnd;
        if (!rest.IsEmpty && rest[0] == '[')
        {
            // IPv6reference = "[" IPv6address "]" (RFC 3261 §25.1, RFC 5118).
            hostEnd = rest.IndexOf((byte)']') + 1;
            if (hostEnd <= 2 || !System.Net.IPAddress.TryParse(rest[1..(hostEnd - 1)].AsAscii(), out _))
            {
                return false;
            }
        }
        else
        {
            hostEnd = 0;
            while (hostEnd < rest.Length && ByteClass.IsHostChar(rest[hostEnd]))
            {
                hostEnd++;
            }

            if (hostEnd == 0)
            {
                return false;
            }
        }

        host = Encoding.ASCII.GetString(rest[..hostEnd]);
        rest = rest[hostEnd..];
        if (!rest.IsEmpty && rest[0] == ':')
        {
            var digits = 1;
            var value = 0;
            while (digits < rest.Length && ByteClass.IsDigit(rest[digits]) && digits <= 5)
            {
                value = (value * 10) + (rest[digits] - '0');
                digits++;
            }

            if (digits == 1 || value > 65535)
            {
                return false;
            }

            port = value;
            rest = rest[digits..];
        }

        return rest.IsEmpty || rest[0] is (byte)';' or (byte)'?';
    }

    private static bool AllParamChars(ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            if (!ByteClass.IsParamChar(b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsScheme(ReadOnlySpan<byte> scheme)
    {
        if (!char.IsAsciiLetter((char)scheme[0]))
        {
            return false;
        }

        foreach (var b in scheme)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not ((byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }

        return true;
    }
}
