using System.Text;

namespace FeatureB2bua.Sip.Auth;

/// <summary>Wire tokens of <see cref="DigestAlgorithm"/> (RFC 7616 §3.3, RFC 8760).</summary>
public static class DigestAlgorithmNames
{
    /// <summary>The token as written in a header, e.g. <c>SHA-256-sess</c>.</summary>
    public static string ToToken(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5 => "MD5",
        DigestAlgorithm.Md5Sess => "MD5-sess",
        DigestAlgorithm.Sha256 => "SHA-256",
        DigestAlgorithm.Sha256Sess => "SHA-256-sess",
        DigestAlgorithm.Sha512_256 => "SHA-512-256",
        DigestAlgorithm.Sha512_256Sess => "SHA-512-256-sess",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    /// <summary>Parses a token; RFC 7616 §3.3 compares algorithm names case-insensitively.</summary>
    public static bool TryParse(ReadOnlySpan<byte> token, out DigestAlgorithm algorithm)
    {
        foreach (var candidate in All)
        {
            if (Ascii.EqualsIgnoreCase(token, ToToken(candidate)))
            {
                algorithm = candidate;
                return true;
            }
        }

        algorithm = default;
        return false;
    }

    /// <inheritdoc cref="TryParse(ReadOnlySpan{byte}, out DigestAlgorithm)"/>
    public static bool TryParse(ReadOnlySpan<char> token, out DigestAlgorithm algorithm)
    {
        foreach (var candidate in All)
        {
            if (token.Equals(ToToken(candidate), StringComparison.OrdinalIgnoreCase))
            {
                algorithm = candidate;
                return true;
            }
        }

        algorithm = default;
        return false;
    }

    internal static bool IsSession(DigestAlgorithm algorithm) =>
        algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess or DigestAlgorithm.Sha512_256Sess;

    private static ReadOnlySpan<DigestAlgorithm> All =>
    [
        DigestAlgorithm.Md5,
        DigestAlgorithm.Md5Sess,
        DigestAlgorithm.Sha256,
        DigestAlgorithm.Sha256Sess,
        DigestAlgorithm.Sha512_256,
        DigestAlgorithm.Sha512_256Sess,
    ];
}
