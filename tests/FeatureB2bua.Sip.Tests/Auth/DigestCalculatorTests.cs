using System.Security.Cryptography;
using System.Text;
using FeatureB2bua.Sip.Auth;

namespace FeatureB2bua.Sip.Tests.Auth;

public sealed class DigestCalculatorTests
{
    private const string Rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Fact]
    public void ComputeResponse_Rfc2617Section3_5Example_MatchesPublishedResponse()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");

        var response = DigestCalculator.ComputeResponse(
            DigestAlgorithm.Md5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET", "/dir/index.html", "auth", 1, "0a4f113b");

        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData(DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void ComputeResponse_Rfc7616Section3_9_1Example_MatchesPublishedResponse(DigestAlgorithm algorithm, string expected)
    {
        var ha1 = DigestCalculator.ComputeHa1(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life");

        var response = DigestCalculator.ComputeResponse(
            algorithm, ha1, Rfc7616Nonce, "GET", "/dir/index.html", "auth", 1, Rfc7616Cnonce);

        Assert.Equal(expected, response);
    }

    [Fact]
    public void ComputeHa1_Sha256_IsLowerHexOfUtf8Input()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, "Jäsøn", "example.test", "pässwörd");

        Assert.Equal(Sha256Hex("Jäsøn:example.test:pässwörd"), ha1);
    }

    [Fact]
    public void ComputeHa1_EmptyPassword_KeepsTrailingColon() =>
        Assert.Equal(Sha256Hex("alice:example.test:"), DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, "alice", "example.test", ""));

    [Fact]
    public void ComputeHa1_InputLongerThanStackBuffer_HashesAll()
    {
        var password = new string('p', 10_000);

        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, "alice", "example.test", password);

        Assert.Equal(Sha256Hex("alice:example.test:" + password), ha1);
    }

    [Fact]
    public void ComputeHa2_MethodAndUri_IsHashOfBoth() =>
        Assert.Equal(
            Sha256Hex("REGISTER:sip:example.test"),
            DigestCalculator.ComputeHa2(DigestAlgorithm.Sha256, "REGISTER", "sip:example.test"));

    [Fact]
    public void ComputeResponse_NoQop_UsesRfc2069Form()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, "alice", "example.test", "secret");
        var ha2 = Sha256Hex("INVITE:sip:bob@example.test");

        var response = DigestCalculator.ComputeResponse(DigestAlgorithm.Sha256, ha1, "n1", "INVITE", "sip:bob@example.test");

        Assert.Equal(Sha256Hex($"{ha1}:n1:{ha2}"), response);
    }

    [Fact]
    public void ComputeResponse_Sha256Sess_HashesNonceAndCnonceIntoHa1()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256Sess, "alice", "example.test", "secret");
        var sessionHa1 = Sha256Hex($"{ha1}:n1:c1");
        var ha2 = Sha256Hex("REGISTER:sip:example.test");

        var response = DigestCalculator.ComputeResponse(
            DigestAlgorithm.Sha256Sess, ha1, "n1", "REGISTER", "sip:example.test", "auth", 0x1a, "c1");

        Assert.Equal(Sha256Hex($"{sessionHa1}:n1:0000001a:c1:auth:{ha2}"), response);
    }

    [Theory]
    [InlineData(DigestAlgorithm.Sha512_256)]
    [InlineData(DigestAlgorithm.Sha512_256Sess)]
    public void ComputeHa1_Sha512_256_ThrowsArgumentException(DigestAlgorithm algorithm) =>
        Assert.Throws<ArgumentException>(() => DigestCalculator.ComputeHa1(algorithm, "alice", "example.test", "secret"));

    [Fact]
    public void ComputeResponse_Sha512_256_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => DigestCalculator.ComputeResponse(
            DigestAlgorithm.Sha512_256, new string('0', 64), "n", "REGISTER", "sip:example.test", "auth", 1, "c"));

    [Fact]
    public void ComputeResponse_AuthInt_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => DigestCalculator.ComputeResponse(
            DigestAlgorithm.Md5, new string('0', 32), "n", "INVITE", "sip:example.test", "auth-int", 1, "c"));

    [Theory]
    [InlineData("auth", "")]
    [InlineData(null, "")]
    public void ComputeResponse_CnonceMissingWhereNeeded_ThrowsArgumentException(string? qop, string cnonce)
    {
        var algorithm = qop is null ? DigestAlgorithm.Md5Sess : DigestAlgorithm.Md5;

        Assert.Throws<ArgumentException>(() => DigestCalculator.ComputeResponse(
            algorithm, new string('0', 32), "n", "INVITE", "sip:example.test", qop, 1, cnonce));
    }

    [Theory]
    [InlineData("0123")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void ComputeResponse_Ha1NotMd5LowerHex_ThrowsArgumentException(string ha1) =>
        Assert.Throws<ArgumentException>(() => DigestCalculator.ComputeResponse(
            DigestAlgorithm.Md5, ha1, "n", "INVITE", "sip:example.test"));

    [Fact]
    public void ComputeResponse_QopInUpperCase_HashesItAsSent()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, "alice", "example.test", "secret");
        var ha2 = Sha256Hex("REGISTER:sip:example.test");

        var response = DigestCalculator.ComputeResponse(
            DigestAlgorithm.Sha256, ha1, "n1", "REGISTER", "sip:example.test", "AUTH", 1, "c1");

        Assert.Equal(Sha256Hex($"{ha1}:n1:00000001:c1:AUTH:{ha2}"), response);
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "auth")]
    [InlineData(DigestAlgorithm.Md5Sess, "auth")]
    [InlineData(DigestAlgorithm.Sha256, "auth")]
    [InlineData(DigestAlgorithm.Sha256Sess, "auth")]
    [InlineData(DigestAlgorithm.Md5, null)]
    [InlineData(DigestAlgorithm.Sha256, null)]
    public void Verify_ResponseComputedByClient_ReturnsTrue(DigestAlgorithm algorithm, string? qop)
    {
        var credentials = ClientCredentials(algorithm, qop, "secret");
        var ha1 = DigestCalculator.ComputeHa1(algorithm, "alice", "example.test", "secret");

        Assert.True(DigestCalculator.Verify(credentials, "REGISTER", ha1));
    }

    [Fact]
    public void Verify_WrongPassword_ReturnsFalse()
    {
        var credentials = ClientCredentials(DigestAlgorithm.Sha256, "auth", "guess");
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, "alice", "example.test", "secret");

        Assert.False(DigestCalculator.Verify(credentials, "REGISTER", ha1));
    }

    [Fact]
    public void Verify_OtherMethod_ReturnsFalse()
    {
        var credentials = ClientCredentials(DigestAlgorithm.Md5, "auth", "secret");
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, "alice", "example.test", "secret");

        Assert.False(DigestCalculator.Verify(credentials, "INVITE", ha1));
    }

    [Fact]
    public void Verify_Ha1OfOtherAlgorithm_ReturnsFalse()
    {
        var credentials = ClientCredentials(DigestAlgorithm.Sha256, "auth", "secret");
        var md5Ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, "alice", "example.test", "secret");

        Assert.False(DigestCalculator.Verify(credentials, "REGISTER", md5Ha1));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Sha512_256, "auth", "c1", 1u)]
    [InlineData(DigestAlgorithm.Md5, "auth-int", "c1", 1u)]
    [InlineData(DigestAlgorithm.Md5, "auth", null, 1u)]
    [InlineData(DigestAlgorithm.Md5, "auth", "c1", null)]
    [InlineData(DigestAlgorithm.Md5Sess, null, null, null)]
    public void Verify_UncomputableCredentials_ReturnsFalse(DigestAlgorithm algorithm, string? qop, string? cnonce, uint? nc)
    {
        var credentials = new DigestCredentials
        {
            Username = "alice",
            Realm = "example.test",
            Nonce = "n1",
            Uri = "sip:example.test",
            Response = new string('0', 32),
            Algorithm = algorithm,
            Qop = qop,
            Cnonce = cnonce,
            NonceCount = nc,
        };

        Assert.False(DigestCalculator.Verify(credentials, "REGISTER", new string('0', 32)));
    }

    [Theory]
    [InlineData("6629fae49393a05397450978507c4ef1", "6629fae49393a05397450978507c4ef1", true)]
    [InlineData("6629fae49393a05397450978507c4ef1", "6629fae49393a05397450978507c4ef0", false)]
    [InlineData("6629fae49393a05397450978507c4ef1", "6629FAE49393A05397450978507C4EF1", false)]
    [InlineData("6629fae49393a05397450978507c4ef1", "6629fae4", false)]
    [InlineData("6629fae49393a05397450978507c4ef1", "", false)]
    public void ResponseEquals_Compared_ReturnsExactEquality(string expected, string received, bool equal) =>
        Assert.Equal(equal, DigestCalculator.ResponseEquals(expected, received));

    [Fact]
    public void IsSupported_EachAlgorithm_OnlyMd5AndSha256Families()
    {
        Assert.True(DigestCalculator.IsSupported(DigestAlgorithm.Md5));
        Assert.True(DigestCalculator.IsSupported(DigestAlgorithm.Md5Sess));
        Assert.True(DigestCalculator.IsSupported(DigestAlgorithm.Sha256));
        Assert.True(DigestCalculator.IsSupported(DigestAlgorithm.Sha256Sess));
        Assert.False(DigestCalculator.IsSupported(DigestAlgorithm.Sha512_256));
        Assert.False(DigestCalculator.IsSupported(DigestAlgorithm.Sha512_256Sess));
    }

    /// <summary>What a client sends after a challenge: HA1 from the password, then the response.</summary>
    private static DigestCredentials ClientCredentials(DigestAlgorithm algorithm, string? qop, string password)
    {
        var ha1 = DigestCalculator.ComputeHa1(algorithm, "alice", "example.test", password);
        var cnonce = qop is null && !algorithm.ToString().EndsWith("Sess", StringComparison.Ordinal) ? null : "0a4f113b";
        uint? nc = qop is null ? null : 7u;
        return new DigestCredentials
        {
            Username = "alice",
            Realm = "example.test",
            Nonce = "3bada1a0",
            Uri = "sip:example.test",
            Algorithm = algorithm,
            Qop = qop,
            Cnonce = cnonce,
            NonceCount = nc,
            Response = DigestCalculator.ComputeResponse(
                algorithm, ha1, "3bada1a0", "REGISTER", "sip:example.test", qop, nc ?? 0, cnonce),
        };
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
