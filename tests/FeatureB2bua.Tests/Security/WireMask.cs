using System.Text;
using System.Text.RegularExpressions;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Tests.Security;

/// <summary>
/// A response as text with what must differ between two requests masked: the user name and per-request tokens the
/// request carried (Call-ID, branch), the server's fresh To tag and nonce, the Via's received/rport and the Date.
/// What is left (status line, reason phrase, header names, their order and every other value) must match byte for byte.
/// </summary>
public static partial class WireMask
{
    public static string Mask(SipMessage response, params string[] requestTokens)
    {
        var text = Encoding.UTF8.GetString(response.Raw.Span);
        text = NonceValue().Replace(text, "nonce=\"*\"");
        text = ToTag().Replace(text, "$1;tag=*");
        text = ViaReceived().Replace(text, "$1=*");
        text = DateValue().Replace(text, "Date: *");
        text = ContentLength().Replace(text, "Content-Length: *");
        foreach (var token in requestTokens.OrderByDescending(t => t.Length))
        {
            text = text.Replace(token, "<masked>", StringComparison.Ordinal);
        }

        return text;
    }

    [GeneratedRegex("nonce=\"[^\"]*\"")]
    private static partial Regex NonceValue();

    [GeneratedRegex("^((?:To|t):[^\r\n]*?);tag=[^;\r\n]+", RegexOptions.Multiline)]
    private static partial Regex ToTag();

    [GeneratedRegex("(received|rport)=[^;,\r\n]+")]
    private static partial Regex ViaReceived();

    [GeneratedRegex("^Date: [^\r\n]*", RegexOptions.Multiline)]
    private static partial Regex DateValue();

    [GeneratedRegex("^Content-Length: *[0-9]+", RegexOptions.Multiline)]
    private static partial Regex ContentLength();
}
