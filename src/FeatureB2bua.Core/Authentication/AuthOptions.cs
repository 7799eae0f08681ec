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

    /// <summary>Offered in this order, most preferred first (RFC 8760 §2.4). Phones that know only MD5 take the MD5 challenge.</summary>
    public List<DigestAlgorithm> Algorithms { get; set; } = [DigestAlgorithm.Sha256, DigestAlgorithm.Md5];

    /// <summary>Failed authentications from one source address, or for one user, within <see cref="FailureWindow"/> before a ban.</summary>
    public int MaxFailures { get; set; } = 10;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan BanDuration { get; set; } = TimeSpan.FromMinutes(5);
}
