using FeatureB2bua.Sip.Auth;

namespace FeatureB2bua.Core.Authentication;

/// <summary>The <c>Auth</c> configuration section: digest challenges, nonces and brute-force bans.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Key of the nonce HMAC. Nodes that share a store must share it, so a nonce from one is accepted by
    /// another; when empty a random key is made at start (one node only).
    /// </summary>
    public string NonceSecret { get; set; } = string.Empty;

    /// <summary>After this a nonce is stale: the client is challenged again with stale=true (RFC 2617 §3.2.1).</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Offered in this order, most preferred first (RFC 8760 §2.4); empty means SHA-256 then MD5. Starts empty
    /// because configuration binding appends to a list rather than replacing it. Some clients (SIPp 3.6 among
    /// them) use the first challenge whatever it is: for them, list Md5 first.
    /// </summary>
    public List<DigestAlgorithm> Algorithms { get; set; } = [];

    public IReadOnlyList<DigestAlgorithm> Offered => Algorithms.Count == 0 ? [DigestAlgorithm.Sha256, DigestAlgorithm.Md5] : [.. Algorithms.Distinct()];

    /// <summary>Failed authentications from one source address, or for one user, within <see cref="FailureWindow"/> before a ban.</summary>
    public int MaxFailures { get; set; } = 10;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan BanDuration { get; set; } = TimeSpan.FromMinutes(5);
}
