using System.Globalization;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Headers;

/// <summary>One Contact value: <c>*</c> or a name-addr with q and expires header parameters (RFC 3261 §20.10).</summary>
public sealed class ContactHeader
{
    private ContactHeader(NameAddress? address) => Address = address;

    /// <summary>Null for the wildcard <c>*</c>, allowed only in a REGISTER that removes every binding (§10.2.2).</summary>
    public NameAddress? Address { get; }

    public bool IsWildcard => Address is null;

    /// <summary>q as thousandths (0..1000), or null when absent; integers keep comparisons exact.</summary>
    public int? Q { get; private init; }

    /// <summary>The expires header parameter only: an <c>;expires=</c> inside the &lt;&gt; belongs to the URI and is ignored here.</summary>
    public uint? Expires { get; private init; }

    public static bool TryParse(ReadOnlySpan<byte> value, out ContactHeader? contact)
    {
        contact = null;
        var trimmed = HeaderValueSplitter.Trim(value);
        if (trimmed.Length == 1 && trimmed[0] == '*')
        {
            contact = new ContactHeader(null);
            return true;
        }

        if (!NameAddress.TryParse(trimmed, out var address))
        {
            return false;
        }

        int? q = null;
        var qText = ParameterList.GetValue(address!.Parameters, "q");
        if (qText is not null)
        {
            if (!TryParseQ(qText, out var thousandths))
            {
                return false;
            }

            q = thousandths;
        }

        uint? expires = null;
        var expiresText = ParameterList.GetValue(address.Parameters, "expires");
        if (expiresText is not null)
        {
            if (!ulong.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return false;
            }

            // RFC 3261 §20.19: delta-seconds beyond 2^32-1 are taken as 2^32-1.
            expires = (uint)Math.Min(seconds, uint.MaxValue);
        }

        contact = new ContactHeader(address) { Q = q, Expires = expires };
        return true;
    }

    /// <summary>qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 3261 §25.1).</summary>
    private static bool TryParseQ(string text, out int thousandths)
    {
        thousandths = 0;
        if (text.Length == 0 || text.Length > 5 || (text[0] != '0' && text[0] != '1'))
        {
            return false;
        }

        var whole = text[0] - '0';
        var fraction = 0;
        var scale = 100;
        if (text.Length > 1)
        {
            if (text[1] != '.')
            {
                return false;
            }

            for (var i = 2; i < text.Length; i++)
            {
                if (!char.IsAsciiDigit(text[i]))
                {
                    return false;
                }

                fraction += (text[i] - '0') * scale;
                scale /= 10;
            }
        }

        thousandths = (whole * 1000) + fraction;
        return thousandths <= 1000;
    }
}
