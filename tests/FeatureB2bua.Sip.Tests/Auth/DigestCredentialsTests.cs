using System.Text;
using FeatureB2bua.Sip.Auth;

namespace FeatureB2bua.Sip.Tests.Auth;

public sealed class DigestCredentialsTests
{
    private const string Complete =
        "Digest username=\"bob\", realm=\"biloxi.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:bob@biloxi.com\","
        + " qop=auth, nc=0000001f, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\","
        + " opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", algorithm=SHA-256, userhash=false";

    private static readonly string[] Mandatory =
        ["username=\"a\"", "realm=\"r\"", "nonce=\"n\"", "uri=\"sip:r\"", "response=\"00\""];

    [Fact]
    public void TryParse_EveryParameter_ReadsEach()
    {
        Assert.True(DigestCredentials.TryParse(Encoding.UTF8.GetBytes(Complete), out var credentials, out var error));

        Assert.Equal(DigestParseError.None, error);
        Assert.Equal("bob", credentials.Username);
        Assert.Equal("biloxi.com", credentials.Realm);
        Assert.Equal("dcd98b7102dd2f0e8b11d0f600bfb0c093", credentials.Nonce);
        Assert.Equal("sip:bob@biloxi.com", credentials.Uri);
        Assert.Equal("auth", credentials.Qop);
        Assert.Equal(0x1fu, credentials.NonceCount);
        Assert.Equal("0a4f113b", credentials.Cnonce);
        Assert.Equal("6629fae49393a05397450978507c4ef1", credentials.Response);
        Assert.Equal("5ccc069c403ebaf9f0171e9517f40e41", credentials.Opaque);
        Assert.Equal(DigestAlgorithm.Sha256, credentials.Algorithm);
        Assert.False(credentials.UserHash);
    }

    /// <summary>Found by the fuzzer: a qop or algorithm that is no token was taken, and Format() then threw on it.</summary>
    [Theory]
    [InlineData("qop=\"auth,auth-int\"")]
    [InlineData("qop=\"au\u0000th\"")]
    [InlineData("qop=a\"uth")]
    [InlineData("algorithm=\"MD5,SHA-256\"")]
    public void TryParse_NonTokenWhereATokenBelongs_IsRefused(string parameter)
    {
        var value = "Digest " + string.Join(", ", Mandatory) + ", nc=00000001, cnonce=\"c\", " + parameter;

        Assert.False(DigestCredentials.TryParse(Encoding.UTF8.GetBytes(value), out _, out var error));
        Assert.NotEqual(DigestParseError.None, error);
    }

    [Fact]
    public void TryParse_SeedFormWithDoubleComma_ReadsEach()
    {
        var value = "Digest username=\"alice\",realm=\"atlanta.com\",nonce=\"f4df\",, response=\"f8f\",cnonce=\"gtgt\",opaque=\"\",qop=auth,uri=\"sip:atlanta.com\",nc=00000001"u8;

        Assert.True(DigestCredentials.TryParse(value, out var credentials, out var error), error.ToString());

        Assert.Equal("alice", credentials.Username);
        Assert.Equal("atlanta.com", credentials.Realm);
        Assert.Equal("f4df", credentials.Nonce);
        Assert.Equal("f8f", credentials.Response);
        Assert.Equal("gtgt", credentials.Cnonce);
        Assert.Equal("", credentials.Opaque);
        Assert.Equal("auth", credentials.Qop);
        Assert.Equal("sip:atlanta.com", credentials.Uri);
        Assert.Equal(1u, credentials.NonceCount);
        Assert.Equal(DigestAlgorithm.Md5, credentials.Algorithm);
    }

    [Fact]
    public void TryParse_QuotedPairsInUsername_Unescapes()
    {
        var value = "Digest username=\"a\\\"li\\\\ce\\x\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"00\""u8;

        Assert.True(DigestCredentials.TryParse(value, out var credentials, out _));

        Assert.Equal("a\"li\\cex", credentials.Username);
    }

    [Fact]
    public void TryParse_Utf8Username_Decodes()
    {
        var value = Encoding.UTF8.GetBytes("Digest username=\"Jäsøn\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"00\"");

        Assert.True(DigestCredentials.TryParse(value, out var credentials, out _));

        Assert.Equal("Jäsøn", credentials.Username);
    }

    [Fact]
    public void TryParse_FoldedWhitespaceAroundSeparators_Accepted()
    {
        var value = "DIGEST\r\n\tUserName \r\n = \"alice\" \r\n , Realm=\"r\"\t,\r\n NONCE = n , uri =\"sip:r\",response\t=\t\"00\""u8;

        Assert.True(DigestCredentials.TryParse(value, out var credentials, out var error), error.ToString());

        Assert.Equal("alice", credentials.Username);
        Assert.Equal("n", credentials.Nonce);
    }

    [Fact]
    public void TryParse_FoldInsideQuotedString_KeepsWhitespaceDropsLineEnd()
    {
        var value = "Digest username=\"al\r\n ice\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"00\""u8;

        Assert.True(DigestCredentials.TryParse(value, out var credentials, out _));

        Assert.Equal("al ice", credentials.Username);
    }

    [Fact]
    public void TryParse_TokensQuotedAndStringsBare_AcceptedLeniently()
    {
        var value = "Digest username=alice, realm=r, nonce=abc==, uri=sip:alice@r;transport=tcp, response=00,"u8.ToArray()
            .Concat(" qop=\"auth\", nc=\"0000000A\", cnonce=c, algorithm=\"md5-sess\", userhash=\"true\""u8.ToArray()).ToArray();

        Assert.True(DigestCredentials.TryParse(value, out var credentials, out var error), error.ToString());

        Assert.Equal("alice", credentials.Username);
        Assert.Equal("abc==", credentials.Nonce);
        Assert.Equal("sip:alice@r;transport=tcp", credentials.Uri);
        Assert.Equal("auth", credentials.Qop);
        Assert.Equal(10u, credentials.NonceCount);
        Assert.Equal(DigestAlgorithm.Md5Sess, credentials.Algorithm);
        Assert.True(credentials.UserHash);
    }

    [Fact]
    public void TryParse_UnknownParameters_Ignored()
    {
        var value = "Digest foo=bar, username=\"a\", x-ext=\"q,\\\"uoted\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"00\", username*=UTF-8''a"u8;

        Assert.True(DigestCredentials.TryParse(value, out var credentials, out _));

        Assert.Equal("a", credentials.Username);
    }

    [Theory]
    [InlineData("username", DigestParseError.MissingUsername)]
    [InlineData("realm", DigestParseError.MissingRealm)]
    [InlineData("nonce", DigestParseError.MissingNonce)]
    [InlineData("uri", DigestParseError.MissingUri)]
    [InlineData("response", DigestParseError.MissingResponse)]
    public void TryParse_MandatoryParameterMissing_ReportsWhichOne(string omitted, DigestParseError expected)
    {
        var parameters = Mandatory.Where(p => !p.StartsWith(omitted + "=", StringComparison.Ordinal));
        var value = "Digest " + string.Join(", ", parameters);

        Assert.False(DigestCredentials.TryParse(Encoding.UTF8.GetBytes(value), out var credentials, out var error));

        Assert.Null(credentials);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("Basic abc")]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("NoOneKnowsThisScheme opaque-data=here")]
    [InlineData("Digestive username=\"a\"")]
    [InlineData("  Bearer")]
    public void TryParse_OtherScheme_ReportsNotDigest(string value)
    {
        Assert.False(DigestCredentials.TryParse(Encoding.UTF8.GetBytes(value), out _, out var error));

        Assert.Equal(DigestParseError.NotDigest, error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"Digest\" username=\"a\"")]
    [InlineData("Digest,username=\"a\"")]
    [InlineData("Digest username")]
    [InlineData("Digest username=")]
    [InlineData("Digest username=\"a")]
    [InlineData("Digest username=\"a\\")]
    [InlineData("Digest username=\"a\" realm=\"r\"")]
    [InlineData("Digest username=a\"b\"")]
    [InlineData("Digest =\"a\"")]
    [InlineData("Digest username=\"a\rb\"")]
    [InlineData("Digest username=\"a\r\nb\"")]
    [InlineData("Digest username=\"a\0b\"")]
    [InlineData("Digest username=\"a\\\nb\"")]
    [InlineData("Digest username=\"a\", qop=\"au th\"")]
    [InlineData("Digest username=\"a\"\r\nVia: SIP/2.0/UDP host")]
    public void TryParse_BrokenSyntax_ReportsMalformed(string value)
    {
        Assert.False(DigestCredentials.TryParse(Encoding.UTF8.GetBytes(value), out _, out var error));

        Assert.Equal(DigestParseError.Malformed, error);
    }

    [Fact]
    public void TryParse_InvalidUtf8InValue_ReportsMalformed()
    {
        byte[] value = [.. "Digest username=\""u8, 0xC3, 0x28, .. "\", realm=r, nonce=n, uri=u, response=r"u8];

        Assert.False(DigestCredentials.TryParse(value, out _, out var error));

        Assert.Equal(DigestParseError.Malformed, error);
    }

    [Theory]
    [InlineData("username=\"b\"")]
    [InlineData("NONCE=\"m\"")]
    [InlineData("nc=00000002")]
    public void TryParse_KnownParameterTwice_ReportsDuplicate(string repeated)
    {
        var value = Complete + ", " + repeated;

        Assert.False(DigestCredentials.TryParse(Encoding.UTF8.GetBytes(value), out _, out var error));

        Assert.Equal(DigestParseError.DuplicateParameter, error);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("000000001")]
    [InlineData("0000000g")]
    [InlineData("-0000001")]
    [InlineData("\"\"")]
    [InlineData("\" 0000001\"")]
    public void TryParse_BadNonceCount_ReportsBadNonceCount(string nc)
    {
        var value = $"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"00\", nc={nc}";

        Assert.False(DigestCredentials.TryParse(Encoding.UTF8.GetBytes(value), out _, out var error));

        Assert.Equal(DigestParseError.BadNonceCount, error);
    }

    [Theory]
    [InlineData("SHA1")]
    [InlineData("\"\"")]
    public void TryParse_UnknownAlgorithm_ReportsUnknownAlgorithm(string algorithm)
    {
        var value = $"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"00\", algorithm={algorithm}";

        Assert.False(DigestCredentials.TryParse(Encoding.UTF8.GetBytes(value), out _, out var error));

        Assert.Equal(DigestParseError.UnknownAlgorithm, error);
    }

    [Fact]
    public void Format_ThenTryParse_GivesSameValues()
    {
        var original = new DigestCredentials
        {
            Username = "a\"li\\ce Jäsøn",
            Realm = "example.test",
            Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
            Uri = "sip:example.test;transport=tcp",
            Response = "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
            Algorithm = DigestAlgorithm.Sha256Sess,
            Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
            Opaque = "",
            Qop = "auth",
            NonceCount = 0xdeadbeef,
            UserHash = true,
        };

        Assert.True(DigestCredentials.TryParse(Encoding.UTF8.GetBytes(original.Format()), out var parsed, out var error), error.ToString());

        Assert.Equivalent(original, parsed, strict: true);
    }

    [Fact]
    public void Format_MinimalCredentials_WritesRfcOrderWithoutAbsentParameters()
    {
        var credentials = new DigestCredentials
        {
            Username = "alice",
            Realm = "atlanta.com",
            Nonce = "84a4cc6f",
            Uri = "sip:atlanta.com",
            Response = "7587245234b3434cc3412213e5f113a5",
            Qop = "auth",
            NonceCount = 1,
            Cnonce = "0a4f113b",
        };

        Assert.Equal(
            "Digest username=\"alice\", realm=\"atlanta.com\", uri=\"sip:atlanta.com\", algorithm=MD5, nonce=\"84a4cc6f\","
            + " nc=00000001, cnonce=\"0a4f113b\", qop=auth, response=\"7587245234b3434cc3412213e5f113a5\"",
            credentials.Format());
    }

    [Theory]
    [InlineData("alice\r\nVia: x", "auth")]
    [InlineData("alice", "auth int")]
    [InlineData("alice", "")]
    public void Format_ValueThatWouldBreakHeader_ThrowsArgumentException(string username, string qop)
    {
        var credentials = new DigestCredentials
        {
            Username = username,
            Realm = "r",
            Nonce = "n",
            Uri = "u",
            Response = "00",
            Qop = qop,
        };

        Assert.Throws<ArgumentException>(credentials.Format);
    }
}
