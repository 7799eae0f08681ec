using System.Diagnostics.CodeAnalysis;

namespace FeatureB2bua.Sip.Auth;

/// <summary>
/// A Digest challenge: the value of WWW-Authenticate or Proxy-Authenticate (RFC 3261 §22.4, RFC 2617 §3.2.1,
/// RFC 7616 §3.3). One challenge per header value, as RFC 3261 §25.1 writes it.
/// </summary>
public sealed class DigestChallenge
{
    // Same order as Field.
    private static readonly string[] Names = ["realm", "domain", "nonce", "opaque", "stale", "algorithm", "qop", "userhash"];

    private enum Field
    {
        Realm,
        Domain,
        Nonce,
        Opaque,
        Stale,
        Algorithm,
        Qop,
        UserHash,
    }

    public required string Realm { get; init; }

    /// <summary>The space-separated URI list exactly as sent; SIP gives it no meaning (RFC 3261 §22.4).</summary>
    public string? Domain { get; init; }

    public required string Nonce { get; init; }

    /// <summary>Null when absent; an empty string is a present, empty opaque the client must echo.</summary>
    public string? Opaque { get; init; }

    public bool Stale { get; init; }

    /// <summary>MD5 when the challenge names none (RFC 2617 §3.2.1).</summary>
    public DigestAlgorithm Algorithm { get; init; } = DigestAlgorithm.Md5;

    /// <summary>Offered qop values, e.g. <c>auth</c>; empty means the RFC 2069 exchange without qop.</summary>
    public IReadOnlyList<string> QopOptions { get; init; } = [];

    /// <summary>RFC 7616 §3.3: the server accepts a hashed username.</summary>
    public bool UserHash { get; init; }

    /// <summary>Parses a header value; never throws. <paramref name="error"/> says why a value was refused.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> value,
        [NotNullWhen(true)] out DigestChallenge? challenge,
        [NotNullWhen(false)] out string? error)
    {
        challenge = null;
        switch (DigestParameterReader.Open(value, out var reader))
        {
            case DigestScheme.Other:
                error = "not a Digest challenge";
                return false;
            case DigestScheme.Malformed:
                error = "malformed challenge";
                return false;
        }

        string? realm = null, domain = null, nonce = null, opaque = null;
        bool stale = false, userHash = false;
        var algorithm = DigestAlgorithm.Md5;
        string[] qop = [];
        var seen = 0;

        DigestReadResult result;
        while ((result = reader.Next(out var parameter)) == DigestReadResult.Parameter)
        {
            var index = parameter.IndexIn(Names);
            if (index < 0)
            {
                // RFC 2617 §3.2.1 auth-param: unknown directives are ignored.
                continue;
            }

            if ((seen & (1 << index)) != 0)
            {
                error = $"duplicate {Names[index]}";
                return false;
            }

            seen |= 1 << index;
            var ok = true;
            switch ((Field)index)
            {
                case Field.Realm:
                    ok = parameter.TryGetString(out realm);
                    break;
                case Field.Domain:
                    ok = parameter.TryGetString(out domain);
                    break;
                case Field.Nonce:
                    ok = parameter.TryGetString(out nonce);
                    break;
                case Field.Opaque:
                    ok = parameter.TryGetString(out opaque);
                    break;
                case Field.Stale:
                    stale = parameter.IsTrue();
                    break;
                case Field.Algorithm:
                    ok = parameter.TryGetToken(out var token) && DigestAlgorithmNames.TryParse(token, out algorithm);
                    break;
                case Field.Qop:
                    ok = TryGetQopOptions(parameter, out qop);
                    break;
                default:
                    userHash = parameter.IsTrue();
                    break;
            }

            if (!ok)
            {
                error = $"bad {Names[index]}";
                return false;
            }
        }

        if (result == DigestReadResult.Malformed)
        {
            error = "malformed challenge";
            return false;
        }

        // RFC 7616 §3.3: realm and nonce are required.
        if (realm is null || nonce is null)
        {
            error = realm is null ? "missing realm" : "missing nonce";
            return false;
        }

        challenge = new DigestChallenge
        {
            Realm = realm,
            Domain = domain,
            Nonce = nonce,
            Opaque = opaque,
            Stale = stale,
            Algorithm = algorithm,
            QopOptions = qop,
            UserHash = userHash,
        };
        error = null;
        return true;
    }

    /// <summary>The header value, e.g. <c>Digest realm="example.test", nonce="…", algorithm=SHA-256, qop="auth"</c>.</summary>
    /// <exception cref="ArgumentException">A value holds a control character or a qop option is not a token.</exception>
    public string Format()
    {
        var writer = new DigestHeaderWriter();
        writer.Quoted("realm", Realm);
        writer.Quoted("domain", Domain);
        writer.Quoted("nonce", Nonce);
        writer.Quoted("opaque", Opaque);
        if (Stale)
        {
            writer.Token("stale", "true");
        }

        writer.Token("algorithm", DigestAlgorithmNames.ToToken(Algorithm));
        if (QopOptions.Count > 0)
        {
            writer.QuotedTokenList("qop", QopOptions);
        }

        if (UserHash)
        {
            writer.Token("userhash", "true");
        }

        return writer.ToString();
    }

    /// <summary>RFC 2617 §3.2.1 qop-options = "qop" "=" &lt;"&gt; 1#qop-value &lt;"&gt;; a bare single token is tolerated.</summary>
    private static bool TryGetQopOptions(DigestParameter parameter, out string[] options)
    {
        options = [];
        if (!parameter.TryGetString(out var list))
        {
            return false;
        }

        options = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return options.Length > 0;
    }
}
