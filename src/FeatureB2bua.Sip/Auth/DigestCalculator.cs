using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace FeatureB2bua.Sip.Auth;

/// <summary>
/// Digest hashes (RFC 2617 §3.2.2, RFC 7616 §3.4) for MD5 and SHA-256 and their -sess variants. Passwords are
/// meant to be stored only as HA1, so the response methods take HA1 rather than a password.
/// </summary>
/// <remarks>
/// SHA-512-256 is parsed and formatted but not computed: .NET offers SHA-512 but not the SHA-512/256 initial hash
/// values (FIPS 180-4 §5.3.6), so a server must offer only MD5 and SHA-256. Only qop=auth and the RFC 2069 form
/// without qop are computed; qop=auth-int would need a hash of the message body (RFC 2617 §3.2.2.3) and is refused.
/// </remarks>
public static class DigestCalculator
{
    internal const string Sha512_256Refusal = "SHA-512-256 is parsed but not computed: .NET has no SHA-512/256.";

    private const int StackInputBytes = 256;
    private const int MaxHexLength = 64;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>Whether the hashes of <paramref name="algorithm"/> can be computed here.</summary>
    public static bool IsSupported(DigestAlgorithm algorithm) =>
        algorithm is DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess;

    /// <summary>
    /// HA1 = H(username ":" realm ":" password) (RFC 7616 §3.4.2): the value to store in place of the password.
    /// For -sess algorithms this is the stored value too; the response methods derive the per-nonce session HA1.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="algorithm"/> is not supported.</exception>
    public static string ComputeHa1(
        DigestAlgorithm algorithm, ReadOnlySpan<char> username, ReadOnlySpan<char> realm, ReadOnlySpan<char> password)
    {
        ThrowIfUnsupported(algorithm);
        Span<char> hex = stackalloc char[MaxHexLength];
        return new string(hex[..Hash(algorithm, hex, username, realm, password)]);
    }

    /// <summary>HA2 = H(method ":" digest-uri), the qop=auth and no-qop form (RFC 2617 §3.2.2.3).</summary>
    /// <exception cref="ArgumentException"><paramref name="algorithm"/> is not supported.</exception>
    public static string ComputeHa2(DigestAlgorithm algorithm, ReadOnlySpan<char> method, ReadOnlySpan<char> digestUri)
    {
        ThrowIfUnsupported(algorithm);
        Span<char> hex = stackalloc char[MaxHexLength];
        return new string(hex[..Hash(algorithm, hex, method, digestUri)]);
    }

    /// <summary>
    /// The request-digest. With <paramref name="qop"/> "auth": H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)
    /// (RFC 2617 §3.2.2.1, RFC 7616 §3.4.1); with null qop the RFC 2069 form H(HA1 ":" nonce ":" HA2).
    /// </summary>
    /// <param name="ha1">The stored HA1 in lower-case hex, as <see cref="ComputeHa1"/> returns it.</param>
    /// <exception cref="ArgumentException">
    /// The algorithm or qop is not supported, <paramref name="ha1"/> is not the algorithm's hex digest, or
    /// <paramref name="cnonce"/> is empty where qop or a -sess algorithm needs it.
    /// </exception>
    public static string ComputeResponse(
        DigestAlgorithm algorithm,
        ReadOnlySpan<char> ha1,
        ReadOnlySpan<char> nonce,
        ReadOnlySpan<char> method,
        ReadOnlySpan<char> digestUri,
        string? qop = null,
        uint nonceCount = 0,
        ReadOnlySpan<char> cnonce = default)
    {
        if (Refusal(algorithm, ha1, qop, cnonce) is { } refusal)
        {
            throw new ArgumentException(refusal);
        }

        Span<char> hex = stackalloc char[MaxHexLength];
        return new string(hex[..WriteResponse(algorithm, ha1, nonce, method, digestUri, qop, nonceCount, cnonce, hex)]);
    }

    /// <summary>
    /// Whether <paramref name="credentials"/> carry the right response for <paramref name="method"/> and the stored
    /// <paramref name="ha1"/>. False, never an exception, for whatever cannot be computed. Realm, nonce, opaque and
    /// uri are the caller's to check against its own challenge and request.
    /// </summary>
    public static bool Verify(DigestCredentials credentials, ReadOnlySpan<char> method, ReadOnlySpan<char> ha1)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var cnonce = credentials.Cnonce.AsSpan();

        // RFC 2617 §3.2.2: nc and cnonce go with qop.
        if ((credentials.Qop is not null && credentials.NonceCount is null)
            || Refusal(credentials.Algorithm, ha1, credentials.Qop, cnonce) is not null)
        {
            return false;
        }

        Span<char> expected = stackalloc char[MaxHexLength];
        var length = WriteResponse(
            credentials.Algorithm,
            ha1,
            credentials.Nonce,
            method,
            credentials.Uri,
            credentials.Qop,
            credentials.NonceCount ?? 0,
            cnonce,
            expected);
        return ResponseEquals(expected[..length], credentials.Response);
    }

    /// <summary>
    /// Compares a computed response with a received one in time independent of where they differ, so timing does
    /// not reveal how much of a forged response was right. Exact: request-digest is lower-case hex (RFC 2617 §3.2.2).
    /// </summary>
    public static bool ResponseEquals(ReadOnlySpan<char> expected, ReadOnlySpan<char> received) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected), MemoryMarshal.AsBytes(received));

    private static string? Refusal(DigestAlgorithm algorithm, ReadOnlySpan<char> ha1, string? qop, ReadOnlySpan<char> cnonce)
    {
        if (!IsSupported(algorithm))
        {
            return Sha512_256Refusal;
        }

        if (ha1.Length != HexLength(algorithm) || ha1.ContainsAnyExcept(LowerHex))
        {
            return $"HA1 must be the lower-case hex {DigestAlgorithmNames.ToToken(algorithm)} digest.";
        }

        if (qop is not null && !qop.Equals("auth", StringComparison.OrdinalIgnoreCase))
        {
            return "Only qop=auth is supported; auth-int needs a hash of the body (RFC 2617 §3.2.2.3).";
        }

        // RFC 2617 §3.2.2: cnonce is sent with qop; RFC 7616 §3.4.2: -sess hashes it into HA1.
        if ((qop is not null || DigestAlgorithmNames.IsSession(algorithm)) && cnonce.IsEmpty)
        {
            return "cnonce is required with qop and with -sess algorithms.";
        }

        return null;
    }

    private static int WriteResponse(
        DigestAlgorithm algorithm,
        ReadOnlySpan<char> ha1,
        ReadOnlySpan<char> nonce,
        ReadOnlySpan<char> method,
        ReadOnlySpan<char> digestUri,
        string? qop,
        uint nonceCount,
        ReadOnlySpan<char> cnonce,
        Span<char> destination)
    {
        // RFC 7616 §3.4.2: for -sess, HA1 = H(H(username:realm:password) ":" nonce ":" cnonce), the inner hash
        // in hex as RFC 7616 writes it (RFC 2617's sample code hashed the binary digest; implementations use hex).
        Span<char> sessionHa1 = stackalloc char[MaxHexLength];
        scoped var key = DigestAlgorithmNames.IsSession(algorithm)
            ? sessionHa1[..Hash(algorithm, sessionHa1, ha1, nonce, cnonce)]
            : ha1;

        Span<char> ha2 = stackalloc char[MaxHexLength];
        ha2 = ha2[..Hash(algorithm, ha2, method, digestUri)];

        var input = new DigestHashInput(stackalloc byte[StackInputBytes]);
        try
        {
            input.Add(key);
            input.Add(nonce);
            if (qop is not null)
            {
                Span<char> nc = stackalloc char[8];
                nonceCount.TryFormat(nc, out _, "x8");
                input.Add(nc);
                input.Add(cnonce);
                input.Add(qop);
            }

            input.Add(ha2);
            return input.WriteHash(algorithm, destination);
        }
        finally
        {
            input.Dispose();
        }
    }

    /// <summary>H(a ":" b) in lower-case hex.</summary>
    private static int Hash(DigestAlgorithm algorithm, Span<char> destination, ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var input = new DigestHashInput(stackalloc byte[StackInputBytes]);
        try
        {
            input.Add(a);
            input.Add(b);
            return input.WriteHash(algorithm, destination);
        }
        finally
        {
            input.Dispose();
        }
    }

    /// <summary>H(a ":" b ":" c) in lower-case hex.</summary>
    private static int Hash(
        DigestAlgorithm algorithm, Span<char> destination, ReadOnlySpan<char> a, ReadOnlySpan<char> b, ReadOnlySpan<char> c)
    {
        var input = new DigestHashInput(stackalloc byte[StackInputBytes]);
        try
        {
            input.Add(a);
            input.Add(b);
            input.Add(c);
            return input.WriteHash(algorithm, destination);
        }
        finally
        {
            input.Dispose();
        }
    }

    private static int HexLength(DigestAlgorithm algorithm) =>
        algorithm is DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess ? 32 : 64;

    private static void ThrowIfUnsupported(DigestAlgorithm algorithm)
    {
        if (!IsSupported(algorithm))
        {
            throw new ArgumentException(Sha512_256Refusal, nameof(algorithm));
        }
    }
}
