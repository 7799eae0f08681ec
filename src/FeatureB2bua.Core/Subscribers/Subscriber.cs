namespace FeatureB2bua.Core.Subscribers;

/// <summary>
/// A user of our domain. Passwords are never stored: only the digest HA1 hashes for our realm, one per
/// algorithm we offer (RFC 7616 §3.4.2, RFC 8760).
/// </summary>
public sealed record Subscriber(string User, string Ha1Md5, string Ha1Sha256)
{
    /// <summary>Other users of our domain this subscriber may register (third-party registration, RFC 3261 §10.2).</summary>
    public IReadOnlyList<string> MayRegister { get; init; } = [];

    public SubscriberFeatures Features { get; init; } = new();
}
