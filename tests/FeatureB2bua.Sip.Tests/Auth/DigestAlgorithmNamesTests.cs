using System.Text;
using FeatureB2bua.Sip.Auth;

namespace FeatureB2bua.Sip.Tests.Auth;

public sealed class DigestAlgorithmNamesTests
{
    public static TheoryData<string, DigestAlgorithm> Tokens => new()
    {
        { "MD5", DigestAlgorithm.Md5 },
        { "MD5-sess", DigestAlgorithm.Md5Sess },
        { "SHA-256", DigestAlgorithm.Sha256 },
        { "SHA-256-sess", DigestAlgorithm.Sha256Sess },
        { "SHA-512-256", DigestAlgorithm.Sha512_256 },
        { "SHA-512-256-sess", DigestAlgorithm.Sha512_256Sess },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public void ToToken_EachAlgorithm_WritesRfc7616Token(string token, DigestAlgorithm algorithm) =>
        Assert.Equal(token, DigestAlgorithmNames.ToToken(algorithm));

    [Theory]
    [MemberData(nameof(Tokens))]
    public void TryParse_AnyCase_ReturnsAlgorithm(string token, DigestAlgorithm algorithm)
    {
        foreach (var spelling in new[] { token, token.ToUpperInvariant(), token.ToLowerInvariant() })
        {
            Assert.True(DigestAlgorithmNames.TryParse(Encoding.ASCII.GetBytes(spelling), out var fromBytes));
            Assert.Equal(algorithm, fromBytes);
            Assert.True(DigestAlgorithmNames.TryParse(spelling.AsSpan(), out var fromChars));
            Assert.Equal(algorithm, fromChars);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("SHA1")]
    [InlineData("MD5-")]
    [InlineData("SHA-256 ")]
    [InlineData("AKAv1-MD5")]
    public void TryParse_UnknownToken_ReturnsFalse(string token)
    {
        Assert.False(DigestAlgorithmNames.TryParse(Encoding.ASCII.GetBytes(token), out _));
        Assert.False(DigestAlgorithmNames.TryParse(token.AsSpan(), out _));
    }

    [Fact]
    public void ToToken_UndefinedValue_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DigestAlgorithmNames.ToToken((DigestAlgorithm)99));
}
