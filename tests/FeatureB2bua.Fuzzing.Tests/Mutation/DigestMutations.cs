namespace FeatureB2bua.Fuzzing.Tests.Mutation;

/// <summary>Digest challenge and credential values (RFC 2617 §3.2, RFC 7616 §3.4) broken the ways a hand-written reader can miss.</summary>
internal static class DigestMutations
{
    private const string Credentials = "Digest username=\"alice\", realm=\"example.test\", nonce=\"abc123\", uri=\"sip:example.test\", response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001, opaque=\"xyz\"";

    private static readonly string[] Headers = ["Authorization", "Proxy-Authorization", "WWW-Authenticate", "Proxy-Authenticate"];

    private static readonly (string Find, string[] Replacements)[] Edits =
    [
        ("nc=00000001", ["nc=ffffffffff", "nc=zzzzzzzz", "nc=", "nc=\"00000001\"", "nc=-1", "nc=100000000000000000000"]),
        ("algorithm=MD5", ["algorithm=garbage", "algorithm=\"SHA-256-sess\"", "algorithm=", "algorithm=SHA-512-256", "algorithm=MD5,algorithm=SHA-256"]),
        ("qop=auth", ["qop=\"auth,auth-int\"", "qop=", "qop=auth-int", "qop=\"\"", "qop=,"]),
        ("username=\"alice\"", ["username=\"alice", "username=alice", "username=\"al\\\"ice\"", "username=\"\"", "username=\"alice\", username=\"bob\"", "username*=UTF-8''%C0%AF", "userhash=maybe"]),
        ("nonce=\"abc123\"", ["nonce=\"" + new string('n', 10_000) + "\"", "nonce=\"abc\\", "nonce", "nonce==\"x\"", "stale=maybe, nonce=\"x\""]),
        ("response=\"0123456789abcdef0123456789abcdef\"", ["response=\"xyz\"", "response=\"\"", "response=" + new string('f', 5000)]),
        ("Digest ", ["Digest", "digest  ", "Basic YWxhZGRpbjpvcGVuc2VzYW1l ", "Digest ,,,, ", "Digest\t", "NTLM "]),
        (", ", [",,", " ", ",\r\n ", ", ,", ",=,"]),
    ];

    public static byte[] Apply(byte[] bytes, Random random)
    {
        var message = EditableMessage.Parse(bytes);
        var value = Credentials;
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var (find, replacements) = Edits[random.Next(Edits.Length)];
            var at = value.IndexOf(find, StringComparison.Ordinal);
            if (at >= 0)
            {
                value = string.Concat(value.AsSpan(0, at), replacements[random.Next(replacements.Length)], value.AsSpan(at + find.Length));
            }
        }

        if (random.Next(4) == 0)
        {
            value = value[..random.Next(value.Length + 1)];
        }

        message.Set(Headers[random.Next(Headers.Length)], value);
        return message.ToBytes();
    }
}
