using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Core.Registration;

/// <summary>Address-of-record keys: <c>user@domain</c>, the domain in lower case (hosts compare case-insensitively, users do not, RFC 3261 §19.1.4).</summary>
public static class AddressOfRecord
{
    public static string For(string user, string domain) => user + "@" + domain.ToLowerInvariant();

    /// <summary>The AOR of a To URI in our domain, or null when it is not a SIP URI of our domain with a user.</summary>
    public static string? FromUri(SipUri uri, string domain) =>
        uri.IsSip && uri.User is { Length: > 0 } user && string.Equals(uri.Host, domain, StringComparison.OrdinalIgnoreCase)
            ? For(user, domain)
            : null;

    public static string UserOf(string aor) => aor[..aor.LastIndexOf('@')];
}
