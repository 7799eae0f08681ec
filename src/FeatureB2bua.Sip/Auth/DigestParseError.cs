namespace FeatureB2bua.Sip.Auth;

/// <summary>
/// Why an Authorization / Proxy-Authorization value was not accepted. A registrar re-challenges on
/// <see cref="NotDigest"/> and answers 400 Bad Request to the rest.
/// </summary>
public enum DigestParseError
{
    None,

    /// <summary>Another scheme (RFC 3261 §25.1 other-response), e.g. <c>Basic</c>.</summary>
    NotDigest,

    /// <summary>The value does not follow the auth-param list syntax.</summary>
    Malformed,

    MissingUsername,
    MissingRealm,
    MissingNonce,
    MissingUri,
    MissingResponse,

    /// <summary>A parameter this parser knows appeared twice (RFC 7616 §3.4: each at most once).</summary>
    DuplicateParameter,

    /// <summary><c>nc</c> is not exactly 8 hex digits (RFC 2617 §3.2.2 nc-value).</summary>
    BadNonceCount,

    /// <summary><c>algorithm</c> names no algorithm of <see cref="DigestAlgorithm"/>.</summary>
    UnknownAlgorithm,
}
