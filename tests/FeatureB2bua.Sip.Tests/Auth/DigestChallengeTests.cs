using System.Text;
using FeatureB2bua.Sip.Auth;

namespace FeatureB2bua.Sip.Tests.Auth;

public sealed class DigestChallengeTests
{
    [Fact]
    public void TryParse_Rfc3665Section2_1Challenge_ReadsEveryParameter()
    {
        var value = "Digest realm=\"atlanta.example.com\", qop=\"auth\",\r\n nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\",\r\n opaque=\"\", stale=FALSE, algorithm=MD5"u8;

        Assert.True(DigestChallenge.TryParse(value, out var challenge, out var error), error);

        Assert.Equal("atlanta.example.com", challenge.Realm);
        Assert.Equal("ea9c8e88df84f1cec4341ae6cbe5a359", challenge.Nonce);
        Assert.Equal("", challenge.Opaque);
        Assert.False(challenge.Stale);
        Assert.Equal(DigestAlgorithm.Md5, challenge.Algorithm);
        Assert.Equal(["auth"], challenge.QopOptions);
        Assert.Null(challenge.Domain);
        Assert.False(challenge.UserHash);
    }

    [Fact]
    public void TryParse_AllParameters_ReadsEach()
    {
        var value = "digest REALM=\"example.test\", domain=\"sip:example.test sip:b.example.test\", nonce=\"n\\\"1\","
            + " opaque=\"op\", stale=\"true\", algorithm=\"sha-256-SESS\", qop=\"auth, auth-int,\", userhash=TRUE, charset=UTF-8";

        Assert.True(DigestChallenge.TryParse(Encoding.UTF8.GetBytes(value), out var challenge, out var error), error);

        Assert.Equal("example.test", challenge.Realm);
        Assert.Equal("sip:example.test sip:b.example.test", challenge.Domain);
        Assert.Equal("n\"1", challenge.Nonce);
        Assert.Equal("op", challenge.Opaque);
        Assert.True(challenge.Stale);
        Assert.Equal(DigestAlgorithm.Sha256Sess, challenge.Algorithm);
        Assert.Equal(["auth", "auth-int"], challenge.QopOptions);
        Assert.True(challenge.UserHash);
    }

    [Fact]
    public void TryParse_NoAlgorithmNoQop_DefaultsToMd5WithoutQop()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\""u8, out var challenge, out _));

        Assert.Equal(DigestAlgorithm.Md5, challenge.Algorithm);
        Assert.Empty(challenge.QopOptions);
        Assert.Null(challenge.Opaque);
    }

    [Fact]
    public void TryParse_BareQopToken_ReadsSingleOption()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=r, nonce=n, qop=auth"u8, out var challenge, out _));

        Assert.Equal(["auth"], challenge.QopOptions);
    }

    [Theory]
    [InlineData("Basic realm=\"r\"", "not a Digest challenge")]
    [InlineData("Digest nonce=\"n\"", "missing realm")]
    [InlineData("Digest realm=\"r\"", "missing nonce")]
    [InlineData("Digest realm=\"r\", realm=\"s\", nonce=\"n\"", "duplicate realm")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", algorithm=SHA1", "bad algorithm")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", qop=\",\"", "bad qop")]
    [InlineData("Digest realm=\"r\" nonce=\"n\"", "malformed challenge")]
    [InlineData("", "malformed challenge")]
    public void TryParse_InvalidChallenge_ReturnsFalseWithReason(string value, string reason)
    {
        Assert.False(DigestChallenge.TryParse(Encoding.UTF8.GetBytes(value), out var challenge, out var error));

        Assert.Null(challenge);
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Format_TypicalChallenge_WritesExpectedValue()
    {
        var challenge = new DigestChallenge
        {
            Realm = "example.test",
            Nonce = "abc",
            Opaque = "xyz",
            Algorithm = DigestAlgorithm.Sha256,
            QopOptions = ["auth"],
        };

        Assert.Equal(
            "Digest realm=\"example.test\", nonce=\"abc\", opaque=\"xyz\", algorithm=SHA-256, qop=\"auth\"",
            challenge.Format());
    }

    [Fact]
    public void Format_Stale_WritesStaleTrue()
    {
        var challenge = new DigestChallenge { Realm = "r", Nonce = "n", Stale = true };

        Assert.Equal("Digest realm=\"r\", nonce=\"n\", stale=true, algorithm=MD5", challenge.Format());
    }

    [Fact]
    public void Format_ThenTryParse_GivesSameValues()
    {
        var original = new DigestChallenge
        {
            Realm = "exa\"mple\\test",
            Domain = "sip:example.test",
            Nonce = "n/+=",
            Opaque = "",
            Stale = true,
            Algorithm = DigestAlgorithm.Sha512_256Sess,
            QopOptions = ["auth", "auth-int"],
            UserHash = true,
        };

        Assert.True(DigestChallenge.TryParse(Encoding.UTF8.GetBytes(original.Format()), out var parsed, out var error), error);

        Assert.Equal(original.Realm, parsed.Realm);
        Assert.Equal(original.Domain, parsed.Domain);
        Assert.Equal(original.Nonce, parsed.Nonce);
        Assert.Equal(original.Opaque, parsed.Opaque);
        Assert.Equal(original.Stale, parsed.Stale);
        Assert.Equal(original.Algorithm, parsed.Algorithm);
        Assert.Equal(original.QopOptions, parsed.QopOptions);
        Assert.Equal(original.UserHash, parsed.UserHash);
    }

    [Theory]
    [InlineData("ex\r\nample")]
    [InlineData("ex\0ample")]
    public void Format_ControlCharacterInValue_ThrowsArgumentException(string realm) =>
        Assert.Throws<ArgumentException>(() => new DigestChallenge { Realm = realm, Nonce = "n" }.Format());

    [Fact]
    public void Format_QopOptionNotToken_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new DigestChallenge { Realm = "r", Nonce = "n", QopOptions = ["auth,x"] }.Format());
}
