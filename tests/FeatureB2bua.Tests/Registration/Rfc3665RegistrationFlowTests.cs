using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Sip.Auth;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Registration;

/// <summary>
/// The RFC 3665 §2 registration flows, fed message by message from the corpus to a registrar for
/// biloxi.example.com reached as ss2.biloxi.example.com. The published digest responses are placeholders,
/// so where a flow succeeds the credentials are computed here for the same request.
/// </summary>
public sealed class Rfc3665RegistrationFlowTests : IDisposable
{
    private const string Domain = "biloxi.example.com";
    private readonly RegistrarHarness _h = new(registrar: new RegistrarOptions { Aliases = ["ss2.biloxi.example.com"] }, domain: Domain);

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Flow2_1_NewRegistration_ChallengedThenRegisteredAsF4Shows()
    {
        await _h.Store.UpsertAsync(Core.Subscribers.SubscriberCredentials.Create("bob", "bob-pw", Domain));
        var f1 = Flow("2.01-F01-REGISTER.sip");

        var first = await _h.Authenticator.AuthenticateAsync(f1, proxy: false);
        var f2 = ResponseBuilder.Create(f1, 401, "Unauthorized", "t", _h.Authenticator.WriteChallenges(proxy: false, stale: false));
        var md5 = DigestClient.FindChallenge(f2, HeaderId.WwwAuthenticate, DigestAlgorithm.Md5);
        var f3 = WithAuthorization("2.01-F03-REGISTER.sip", DigestClient.Answer(md5.Nonce, "bob", "bob-pw", "REGISTER", "sips:ss2.biloxi.example.com", DigestAlgorithm.Md5, realm: Domain));
        var second = await _h.Authenticator.AuthenticateAsync(f3, proxy: false);
        var f4 = await _h.Registrar.RegisterAsync(f3, second.User);

        Assert.Equal(AuthVerdict.Challenge, first.Verdict);
        Assert.Equal(Domain, md5.Realm);
        Assert.Equal(new AuthOutcome(AuthVerdict.Authenticated, "bob"), second);
        Assert.Equal(200, f4.StatusCode);
        Assert.Equal(Flow("2.01-F04-200.sip").GetValues(HeaderId.Contact), f4.GetValues(HeaderId.Contact));
    }

    [Fact]
    public async Task Flow2_2_UpdateWithMailtoContact_RefusedAs416()
    {
        // RFC 3665 binds a mailto: contact; nothing can be routed to one here, so the rule (416) applies.
        Assert.Equal(416, (await _h.Registrar.RegisterAsync(Flow("2.02-F01-REGISTER.sip"), "bob")).StatusCode);
    }

    [Fact]
    public async Task Flow2_3_Query_ListsCurrentBindingsAsF2Shows()
    {
        await _h.Registrar.RegisterAsync(Flow("2.01-F03-REGISTER.sip"), "bob");

        var f2 = await _h.Registrar.RegisterAsync(Flow("2.03-F01-REGISTER.sip"), "bob");

        Assert.Equal(200, f2.StatusCode);
        Assert.Equal(Flow("2.03-F02-200.sip").GetValues(HeaderId.Contact)[0], Assert.Single(f2.GetValues(HeaderId.Contact)));
    }

    [Fact]
    public async Task Flow2_4_CancelRegistration_WildcardRemovesAllAsF2Shows()
    {
        await _h.Registrar.RegisterAsync(
            RegistrarHarness.Parse(
                "REGISTER sips:ss2.biloxi.example.com SIP/2.0\nVia: SIP/2.0/TLS client.biloxi.example.com:5061;branch=z9hG4bKfirst\n" +
                "From: Bob <sips:bob@biloxi.example.com>;tag=x\nTo: Bob <sips:bob@biloxi.example.com>\nCall-ID: earlier-registration\n" +
                "CSeq: 1 REGISTER\nContact: <sips:bob@client.biloxi.example.com>\nContent-Length: 0\n\n"),
            "bob");

        var f2 = await _h.Registrar.RegisterAsync(Flow("2.04-F01-REGISTER.sip"), "bob");

        Assert.Equal(200, f2.StatusCode);
        Assert.Empty(f2.GetValues(HeaderId.Contact));
        Assert.Empty(Flow("2.04-F02-200.sip").GetValues(HeaderId.Contact));
    }

    [Fact]
    public async Task Flow2_5_WrongCredentials_ChallengedAgainAsF4Shows()
    {
        await _h.Store.UpsertAsync(Core.Subscribers.SubscriberCredentials.Create("bob", "bob-pw", Domain));

        // F3's response is not the digest of bob's password: the answer is a fresh 401 (F4), never a 403.
        var outcome = await _h.Authenticator.AuthenticateAsync(Flow("2.05-F03-REGISTER.sip"), proxy: false);

        Assert.Equal(AuthVerdict.Challenge, outcome.Verdict);
        Assert.Equal(401, Flow("2.05-F04-401.sip").StatusCode);
    }

    private static SipMessage Flow(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", "rfc3665", file));
        return RegistrarHarness.Parse(System.Text.Encoding.UTF8.GetString(bytes).ReplaceLineEndings("\n"), source: "192.0.2.201");
    }

    private static SipMessage WithAuthorization(string file, string credentials)
    {
        var text = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", "rfc3665", file))).ReplaceLineEndings("\n");
        var start = text.IndexOf("Authorization:", StringComparison.Ordinal);
        var end = text.IndexOf("\nContent-Length", start, StringComparison.Ordinal);
        var lines = text[start..end].Split('\n');
        var kept = string.Join('\n', lines.SkipWhile(l => l.StartsWith("Authorization", StringComparison.Ordinal) || l.StartsWith(' ')));
        var rebuilt = text[..start] + $"Authorization: {credentials}\n" + (kept.Length > 0 ? kept + "\n" : string.Empty) + text[(end + 1)..];
        return RegistrarHarness.Parse(rebuilt, source: "192.0.2.201");
    }
}
