using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Sip.Auth;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Authentication;

/// <summary>Digest authentication (RFC 2617, RFC 7616, RFC 8760) as the registrar and the proxy side apply it.</summary>
public sealed class DigestAuthenticatorTests : IDisposable
{
    private const string Uri = "sip:example.test";
    private readonly RegistrarHarness _h = new(new AuthOptions { NonceSecret = "test-secret", MaxFailures = 3 });

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Challenge_NoCredentials_OffersSha256ThenMd5WithQopAuth()
    {
        var request = RegistrarHarness.Register(string.Empty);

        var outcome = await _h.Authenticator.AuthenticateAsync(request, proxy: false);
        var challenge = ResponseBuilder.Create(request, 401, "Unauthorized", "t", _h.Authenticator.WriteChallenges(proxy: false, stale: false));

        Assert.Equal(AuthVerdict.Challenge, outcome.Verdict);
        var lines = challenge.GetHeaderLines(HeaderId.WwwAuthenticate);
        Assert.Equal(2, lines.Count);
        Assert.Contains("algorithm=SHA-256", lines[0], StringComparison.Ordinal);
        Assert.Contains("algorithm=MD5", lines[1], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Contains("qop=\"auth\"", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("realm=\"example.test\"", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5)]
    [InlineData(DigestAlgorithm.Sha256)]
    public async Task Authenticate_RightPassword_IsAuthenticatedAsThatUser(DigestAlgorithm algorithm)
    {
        var outcome = await Answer("alice", "alice-pw", algorithm);

        Assert.Equal(new AuthOutcome(AuthVerdict.Authenticated, "alice"), outcome);
    }

    [Fact]
    public async Task Authenticate_WrongPassword_IsChallengedAgain()
    {
        Assert.Equal(AuthVerdict.Challenge, (await Answer("alice", "guess")).Verdict);
    }

    [Fact]
    public async Task Authenticate_UnknownUser_LooksLikeWrongPassword()
    {
        Assert.Equal((await Answer("alice", "guess")).Verdict, (await Answer("mallory", "guess", source: "192.0.2.11")).Verdict);
    }

    [Fact]
    public async Task Authenticate_ReplayedNonceCount_IsRefused()
    {
        var nonce = _h.Nonces.Issue();
        var header = DigestClient.Answer(nonce, "alice", "alice-pw", "REGISTER", Uri, DigestAlgorithm.Md5, nonceCount: 1);

        var first = await _h.Authenticator.AuthenticateAsync(RegistrarHarness.Register($"Authorization: {header}\n"), proxy: false);
        var replay = await _h.Authenticator.AuthenticateAsync(RegistrarHarness.Register($"Authorization: {header}\n", cseq: 2), proxy: false);

        Assert.Equal(AuthVerdict.Authenticated, first.Verdict);
        Assert.Equal(AuthVerdict.Challenge, replay.Verdict);
    }

    [Fact]
    public async Task Authenticate_SameNonceHigherCount_IsAccepted()
    {
        var nonce = _h.Nonces.Issue();
        await Answer("alice", "alice-pw", nonce: nonce, nonceCount: 1);

        Assert.Equal(AuthVerdict.Authenticated, (await Answer("alice", "alice-pw", nonce: nonce, nonceCount: 2)).Verdict);
    }

    [Fact]
    public async Task Authenticate_ExpiredNonceRightPassword_ChallengedWithStale()
    {
        var nonce = _h.Nonces.Issue();
        _h.Clock.Advance(_h.Auth.NonceLifetime + TimeSpan.FromSeconds(1));

        var outcome = await Answer("alice", "alice-pw", nonce: nonce);

        Assert.Equal(new AuthOutcome(AuthVerdict.Challenge, Stale: true), outcome);
    }

    [Fact]
    public async Task Authenticate_ForgedNonce_IsNotAccepted()
    {
        var outcome = await Answer("alice", "alice-pw", nonce: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        Assert.NotEqual(AuthVerdict.Authenticated, outcome.Verdict);
    }

    [Fact]
    public async Task Authenticate_NonceFromAnotherNodeWithSameSecret_IsAccepted()
    {
        var otherNode = new NonceService("test-secret", RegistrarHarness.Domain, _h.Auth.NonceLifetime, _h.Clock);

        Assert.Equal(AuthVerdict.Authenticated, (await Answer("alice", "alice-pw", nonce: otherNode.Issue())).Verdict);
    }

    [Fact]
    public async Task Authenticate_OtherRealm_IsIgnoredAndChallenged()
    {
        var header = DigestClient.Answer(_h.Nonces.Issue(), "alice", "alice-pw", "REGISTER", Uri, DigestAlgorithm.Md5, realm: "elsewhere.test");

        var outcome = await _h.Authenticator.AuthenticateAsync(RegistrarHarness.Register($"Authorization: {header}\n"), proxy: false);

        Assert.Equal(AuthVerdict.Challenge, outcome.Verdict);
    }

    [Fact]
    public async Task Authenticate_DigestUriNotTheRequestUri_IsRefused()
    {
        var header = DigestClient.Answer(_h.Nonces.Issue(), "alice", "alice-pw", "REGISTER", "sip:other.test", DigestAlgorithm.Md5);

        var outcome = await _h.Authenticator.AuthenticateAsync(RegistrarHarness.Register($"Authorization: {header}\n"), proxy: false);

        Assert.Equal(AuthVerdict.Challenge, outcome.Verdict);
    }

    [Fact]
    public async Task Authenticate_TrustedSource_NeedsNoCredentials()
    {
        var outcome = await _h.Authenticator.AuthenticateAsync(RegistrarHarness.Register(string.Empty, source: "192.0.2.250"), proxy: true);

        Assert.Equal(AuthVerdict.Authenticated, outcome.Verdict);
    }

    [Fact]
    public async Task Authenticate_BrokenDigestHeader_IsMalformed()
    {
        var outcome = await _h.Authenticator.AuthenticateAsync(RegistrarHarness.Register("Authorization: Digest username=\"alice\", realm=\n"), proxy: false);

        Assert.Equal(AuthVerdict.Malformed, outcome.Verdict);
    }

    [Fact]
    public async Task Authenticate_ProxyAuthorization_UsedForNonRegister()
    {
        var invite = RegistrarHarness.Parse(
            "INVITE sip:bob@example.test SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKi\nFrom: <sip:alice@example.test>;tag=1\n" +
            "To: <sip:bob@example.test>\nCall-ID: i\nCSeq: 1 INVITE\n" +
            $"Proxy-Authorization: {DigestClient.Answer(_h.Nonces.Issue(), "alice", "alice-pw", "INVITE", "sip:bob@example.test", DigestAlgorithm.Sha256)}\n" +
            "Content-Length: 0\n\n");

        Assert.Equal(AuthVerdict.Authenticated, (await _h.Authenticator.AuthenticateAsync(invite, proxy: true)).Verdict);
        Assert.Equal(AuthVerdict.Challenge, (await _h.Authenticator.AuthenticateAsync(invite, proxy: false)).Verdict);
    }

    [Fact]
    public async Task BruteForce_FromOneAddress_BannedThenBanLapses()
    {
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(AuthVerdict.Challenge, (await Answer("alice", "guess" + i)).Verdict);
        }

        Assert.Equal(AuthVerdict.Banned, (await Answer("alice", "guess3")).Verdict);
        Assert.Equal(AuthVerdict.Banned, (await Answer("alice", "alice-pw")).Verdict);
        Assert.Equal(AuthVerdict.Banned, (await Answer("bob", "bob-pw")).Verdict);

        _h.Clock.Advance(_h.Auth.BanDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(AuthVerdict.Authenticated, (await Answer("bob", "bob-pw")).Verdict);
    }

    [Fact]
    public async Task BruteForce_OneUserFromManyAddresses_UserIsBanned()
    {
        for (var i = 0; i < 3; i++)
        {
            await Answer("alice", "guess", source: $"198.51.100.{i + 1}");
        }

        Assert.Equal(AuthVerdict.Banned, (await Answer("alice", "alice-pw", source: "198.51.100.200")).Verdict);
        Assert.Equal(AuthVerdict.Authenticated, (await Answer("bob", "bob-pw", source: "198.51.100.201")).Verdict);
    }

    [Fact]
    public async Task BruteForce_FailuresSpreadBeyondTheWindow_NeverBan()
    {
        for (var i = 0; i < 6; i++)
        {
            await Answer("alice", "guess");
            _h.Clock.Advance(_h.Auth.FailureWindow / 2 + TimeSpan.FromSeconds(1));
        }

        Assert.Equal(AuthVerdict.Authenticated, (await Answer("alice", "alice-pw")).Verdict);
    }

    private Task<AuthOutcome> Answer(string user, string password, DigestAlgorithm algorithm = DigestAlgorithm.Md5, string? nonce = null, uint nonceCount = 1, string source = "192.0.2.10")
    {
        var header = DigestClient.Answer(nonce ?? _h.Nonces.Issue(), user, password, "REGISTER", Uri, algorithm, nonceCount);
        var request = RegistrarHarness.Register($"Authorization: {header}\n", user: user, cseq: (int)nonceCount, source: source);
        return _h.Authenticator.AuthenticateAsync(request, proxy: false);
    }
}
