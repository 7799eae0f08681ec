using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace FeatureB2bua.Sip.Auth;

/// <summary>
/// Digest credentials: the value of Authorization or Proxy-Authorization (RFC 3261 §22.4, RFC 2617 §3.2.2,
/// RFC 7616 §3.4).
/// </summary>
public sealed class DigestCredentials
{
    // Same order as Field.
    private static readonly string[] Names =
        ["username", "realm", "nonce", "uri", "response", "algorithm", "cnonce", "opaque", "qop", "nc", "userhash"];

    private enum Field
    {
        Username,
        Realm,
        Nonce,
        Uri,
        Response,
        Algorithm,
        Cnonce,
        Opaque,
        Qop,
        NonceCount,
        UserHash,
    }

    /// <summary>The user name, or its hash when <see cref="UserHash"/> is set (RFC 7616 §3.4.4).</summary>
    public required string Username { get; init; }

    public required string Realm { get; init; }

    public required string Nonce { get; init; }

    /// <summary>digest-uri as the client wrote it; RFC 3261 §22.4 has the server compare it to the Request-URI.</summary>
    public required string Uri { get; init; }

    /// <summary>request-digest in lower-case hex (RFC 2617 §3.2.2).</summary>
    public required string Response { get; init; }

    /// <summary>MD5 when the credentials name none (RFC 2617 §3.2.2).</summary>
    public DigestAlgorithm Algorithm { get; init; } = DigestAlgorithm.Md5;

    public string? Cnonce { get; init; }

    /// <summary>Null when absent; echoed from the challenge, so an empty string stays distinct from absent.</summary>
    public string? Opaque { get; init; }

    /// <summary>The chosen qop, e.g. <c>auth</c>; null for the RFC 2069 exchange.</summary>
    public string? Qop { get; init; }

    /// <summary>nc; present whenever <see cref="Qop"/> is (RFC 2617 §3.2.2).</summary>
    public uint? NonceCount { get; init; }

    public bool UserHash { get; init; }

    /// <summary>Parses a header value; never throws.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> value,
        [NotNullWhen(true)] out DigestCredentials? credentials,
        out DigestParseError error)
    {
        credentials = null;
        switch (DigestParameterReader.Open(value, out var reader))
        {
            case DigestScheme.Other:
                error = DigestParseError.NotDigest;
                return false;
            case DigestScheme.Malformed:
                error = DigestParseError.Malformed;
                return false;
        }

        string? username = null, realm = null, nonce = null, uri = null, response = null;
        string? cnonce = null, opaque = null, qop = null;
        uint? nonceCount = null;
        var algorithm = DigestAlgorithm.Md5;
        var userHash = false;
        var seen = 0;

        DigestReadResult result;
        while ((result = reader.Next(out var parameter)) == DigestReadResult.Parameter)
        {
            var index = parameter.IndexIn(Names);
            if (index < 0)
            {
                // RFC 2617 §3.2.2 auth-param: unknown directives are ignored.
                continue;
            }

            if ((seen & (1 << index)) != 0)
            {
                error = DigestParseError.DuplicateParameter;
                return false;
            }

            seen |= 1 << index;
            error = DigestParseError.None;
            switch ((Field)index)
            {
                case Field.Username:
                    Text(parameter, out username, ref error);
                    break;
                case Field.Realm:
                    Text(parameter, out realm, ref error);
                    break;
                case Field.Nonce:
                    Text(parameter, out nonce, ref error);
                    break;
                case Field.Uri:
                    Text(parameter, out uri, ref error);
                    break;
                case Field.Response:
                    Text(parameter, out response, ref error);
                    break;
                case Field.Cnonce:
                    Text(parameter, out cnonce, ref error);
                    break;
                case Field.Opaque:
                    Text(parameter, out opaque, ref error);
                    break;
                case Field.Algorithm:
                    if (!parameter.TryGetToken(out var token) || !DigestAlgorithmNames.TryParse(token, out algorithm))
                    {
                        error = DigestParseError.UnknownAlgorithm;
                    }

                    break;
                case Field.Qop:
                    // RFC 2617 §3.2.2 message-qop is a token; TryGetToken also takes the quoted form phones send.
                    if (parameter.TryGetToken(out var qopToken))
                    {
                        qop = Encoding.ASCII.GetString(qopToken);
                    }
                    else
                    {
                        error = DigestParseError.Malformed;
                    }

                    break;
                case Field.NonceCount:
                    if (parameter.TryGetNonceCount(out var nc))
                    {
                        nonceCount = nc;
                    }
                    else
                    {
                        error = DigestParseError.BadNonceCount;
                    }

                    break;
                default:
                    userHash = parameter.IsTrue();
                    break;
            }

            if (error != DigestParseError.None)
            {
                return false;
            }
        }

        if (result == DigestReadResult.Malformed)
        {
            error = DigestParseError.Malformed;
            return false;
        }

        // RFC 2617 §3.2.2 / RFC 7616 §3.4: username, realm, nonce, uri and response are required.
        if (username is null || realm is null || nonce is null || uri is null || response is null)
        {
            error = username is null ? DigestParseError.MissingUsername
                : realm is null ? DigestParseError.MissingRealm
                : nonce is null ? DigestParseError.MissingNonce
                : uri is null ? DigestParseError.MissingUri
                : DigestParseError.MissingResponse;
            return false;
        }

        error = DigestParseError.None;
        credentials = new DigestCredentials
        {
            Username = username,
            Realm = realm,
            Nonce = nonce,
            Uri = uri,
            Response = response,
            Algorithm = algorithm,
            Cnonce = cnonce,
            Opaque = opaque,
            Qop = qop,
            NonceCount = nonceCount,
            UserHash = userHash,
        };
        return true;
    }

    /// <summary>The header value, parameters in RFC 7616 §3.9.1 order.</summary>
    /// <exception cref="ArgumentException">A value holds a control character or <see cref="Qop"/> is not a token.</exception>
    public string Format()
    {
        var writer = new DigestHeaderWriter();
        writer.Quoted("username", Username);
        writer.Quoted("realm", Realm);
        writer.Quoted("uri", Uri);
        writer.Token("algorithm", DigestAlgorithmNames.ToToken(Algorithm));
        writer.Quoted("nonce", Nonce);
        if (NonceCount is { } nc)
        {
            // RFC 2617 §3.2.2 nc-value = 8LHEX.
            writer.Token("nc", nc.ToString("x8"));
        }

        writer.Quoted("cnonce", Cnonce);
        if (Qop is not null)
        {
            writer.Token("qop", Qop);
        }

        writer.Quoted("response", Response);
        writer.Quoted("opaque", Opaque);
        if (UserHash)
        {
            writer.Token("userhash", "true");
        }

        return writer.ToString();
    }

    private static void Text(DigestParameter parameter, out string? value, ref DigestParseError error)
    {
        if (!parameter.TryGetString(out value))
        {
            error = DigestParseError.Malformed;
        }
    }
}
