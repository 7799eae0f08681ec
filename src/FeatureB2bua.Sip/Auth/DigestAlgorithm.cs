namespace FeatureB2bua.Sip.Auth;

/// <summary>
/// Digest hash algorithms (RFC 7616 §3.3; RFC 8760 brings them to SIP).
/// The -sess variants hash the client nonce into HA1 (RFC 7616 §3.4.2).
/// </summary>
public enum DigestAlgorithm
{
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,

    /// <summary>Parsed and formatted only: .NET has no SHA-512/256, so <see cref="DigestCalculator"/> refuses it.</summary>
    Sha512_256,

    /// <summary>Parsed and formatted only, like <see cref="Sha512_256"/>.</summary>
    Sha512_256Sess,
}
