using System.Text;
using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Core.Features;

/// <summary>A forwarding target as subscribers write it: a SIP URI, or a bare user or number meaning that user of our domain.</summary>
public static class ForwardTarget
{
    public static bool TryParse(string? text, string domain, out SipUri target)
    {
        target = null!;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (!text.Contains(':', StringComparison.Ordinal))
        {
            // RFC 3261 §25.1 unreserved characters and the dial-string ones (+ # *) that phones send as users.
            if (!text.All(c => char.IsAsciiLetterOrDigit(c) || "-_.!~+#*".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }

            text = $"sip:{text}@{domain}";
        }

        if (!SipUri.TryParse(Encoding.UTF8.GetBytes(text), out var uri) || uri is not { IsSip: true, User.Length: > 0 })
        {
            return false;
        }

        target = uri;
        return true;
    }
}
