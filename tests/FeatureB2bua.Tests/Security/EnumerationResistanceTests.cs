using System.Diagnostics;
using System.Net;
using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Sip.Auth;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Security;

/// <summary>
/// Before authentication nothing about a user name may differ on the wire: existing users (bob registered, alice and
/// carol not) and missing ones get byte-identical answers once the fields that must vary are masked, for every kind
/// of request a scanner sends; and both cost the same subscriber reads and hashes, so timing tells nothing either.
/// </summary>
public sealed class EnumerationResistanceTests(EnumerationServer fixture) : IClassFixture<EnumerationServer>
{
    private const string Domain = "example.test";
    private static readonly string[] Existing = ["alice", "bob", "carol"];
    private static readonly string[] Missing = ["zelda", "1001"];
    private int _sequence;

    private ServerFixture Server => fixture.Server;

    public static TheoryData<string> Kinds() =>
    [
        "REGISTER", "REGISTER wrong password", "REGISTER stale nonce", "REGISTER SHA-256 wrong password",
        "INVITE from", "INVITE to", "INVITE wrong password", "INVITE stale nonce",
        "OPTIONS", "SUBSCRIBE", "MESSAGE", "NOTIFY", "FOO", "CANCEL",
    ];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Unauthenticated_ExistingAndMissingUsers_GetByteIdenticalAnswers(string kind)
    {
        using var client = new UdpSipClient(Server.UdpEndPoint);
        var answers = new Dictionary<string, string>();
        foreach (var user in Existing.Concat(Missing))
        {
            answers[user] = await ExchangeAsync(client, kind, user);
        }

        var reference = answers["zelda"];
        Assert.All(answers, a => Assert.True(a.Value == reference, $"{kind} for {a.Key} differs from a missing user's:\n{a.Value}\n--- missing user:\n{reference}"));
    }

    [Fact]
    public async Task ThirdPartyRegister_OfExistingAndMissingUsers_IsTheSame403()
    {
        // RFC 3261 §10.3 step 4 comes before the AOR lookup: an authenticated subscriber cannot list the others either.
        using var client = new UdpSipClient(Server.UdpEndPoint);
        var answers = new List<string>();
        foreach (var target in new[] { "alice", "carol", "zelda", "1001" })
        {
            var (callId, branch) = NextIds();
            var credentials = DigestClient.Answer(ValidNonce(), "bob", "bob-demo-pw", "REGISTER", $"sip:{Domain}", DigestAlgorithm.Md5);
            var text = Request("REGISTER", $"sip:{Domain}", target, target, callId, branch, $"Authorization: {credentials}\nContact: <sip:{target}@127.0.0.1:5999>\n");
            var response = await SendAsync(client, text, callId);
            Assert.Equal(403, response.StatusCode);
            answers.Add(WireMask.Mask(response, target, callId, branch, credentials));
        }

        Assert.All(answers, a => Assert.Equal(answers[0], a));
    }

    [Fact]
    public async Task WrongPassword_ExistingAndMissingUser_CostTheSameReadsAndHashesAndTimeClass()
    {
        const int rounds = 200;
        using var client = new UdpSipClient(Server.UdpEndPoint);
        var (readsBefore, hashesBefore) = Work("alice", "zelda");
        var times = new Dictionary<string, List<double>> { ["alice"] = [], ["zelda"] = [] };
        for (var i = 0; i < rounds; i++)
        {
            // Interleaved, so drift in the machine's load falls on both alike.
            foreach (var user in times.Keys)
            {
                var (callId, branch) = NextIds();
                var text = WithCredentials("REGISTER", $"sip:{Domain}", user, user, callId, branch, "Authorization", ValidNonce(), DigestAlgorithm.Md5);
                var watch = Stopwatch.StartNew();
                var response = await SendAsync(client, text, callId);
                times[user].Add(watch.Elapsed.TotalMicroseconds);
                Assert.Equal(401, response.StatusCode);
            }
        }

        var (readsAfter, hashesAfter) = Work("alice", "zelda");
        Assert.Equal((rounds, rounds), (readsAfter.A - readsBefore.A, readsAfter.B - readsBefore.B));
        Assert.Equal((rounds, rounds), (hashesAfter.A - hashesBefore.A, hashesAfter.B - hashesBefore.B));

        // The counts above are the exact check; the medians only confirm the same class of cost on a noisy machine.
        var known = Median(times["alice"]);
        var unknown = Median(times["zelda"]);
        Assert.True(Math.Max(known, unknown) / Math.Min(known, unknown) < 1.5, $"median round trip: existing {known:F0} us, missing {unknown:F0} us");
    }

    [Fact]
    public async Task Banned_SourceOrUser_ExistingAndMissingUsers_GetTheSame403()
    {
        await using var server = await ServerFixture.StartAsync("--Auth:MaxFailures=3", $"--Auth:NonceSecret={EnumerationServer.NonceSecret}");
        using var banned = new UdpSipClient(server.UdpEndPoint, new IPEndPoint(IPAddress.Parse("127.0.48.1"), 0));
        for (var i = 0; i < 3; i++)
        {
            var (callId, branch) = NextIds();
            await SendAsync(banned, WithCredentials("REGISTER", $"sip:{Domain}", "zelda", "zelda", callId, branch, "Authorization", ValidNonce(), DigestAlgorithm.Md5), callId);
        }

        // Bans of a user name, started from other addresses: one existing user, one missing.
        foreach (var (user, address) in new[] { ("alice", "127.0.48.2"), ("zelda", "127.0.48.3") })
        {
            using var other = new UdpSipClient(server.UdpEndPoint, new IPEndPoint(IPAddress.Parse(address), 0));
            for (var i = 0; i < 3; i++)
            {
                var (callId, branch) = NextIds();
                await SendAsync(other, WithCredentials("REGISTER", $"sip:{Domain}", user, user, callId, branch, "Authorization", ValidNonce(), DigestAlgorithm.Md5), callId);
            }
        }

        using var fresh = new UdpSipClient(server.UdpEndPoint, new IPEndPoint(IPAddress.Parse("127.0.48.4"), 0));
        var answers = new List<string>();
        foreach (var (client, user, credentials) in new[] { (banned, "alice", false), (banned, "zelda", false), (banned, "bob", true), (fresh, "alice", true), (fresh, "zelda", true) })
        {
            var (callId, branch) = NextIds();
            var nonce = ValidNonce();
            var text = credentials
                ? WithCredentials("REGISTER", $"sip:{Domain}", user, user, callId, branch, "Authorization", nonce, DigestAlgorithm.Md5)
                : Request("REGISTER", $"sip:{Domain}", user, user, callId, branch, $"Contact: <sip:{user}@127.0.0.1:5999>\n");
            var response = await SendAsync(client, text, callId);
            Assert.Equal(403, response.StatusCode);
            answers.Add(WireMask.Mask(response, user, callId, branch, client.LocalEndPoint.Address.ToString()));
        }

        Assert.All(answers, a => Assert.Equal(answers[0], a));
    }

    private async Task<string> ExchangeAsync(UdpSipClient client, string kind, string user)
    {
        var (callId, branch) = NextIds();
        var server = $"sip:{Domain}";
        var userUri = $"sip:{user}@{Domain}";
        var text = kind switch
        {
            "REGISTER" => Request("REGISTER", server, user, user, callId, branch, $"Contact: <sip:{user}@127.0.0.1:5999>\n"),
            "REGISTER wrong password" => WithCredentials("REGISTER", server, user, user, callId, branch, "Authorization", ValidNonce(), DigestAlgorithm.Md5),
            "REGISTER SHA-256 wrong password" => WithCredentials("REGISTER", server, user, user, callId, branch, "Authorization", ValidNonce(), DigestAlgorithm.Sha256),
            "REGISTER stale nonce" => WithCredentials("REGISTER", server, user, user, callId, branch, "Authorization", StaleNonce(), DigestAlgorithm.Md5),
            "INVITE from" => Request("INVITE", "sip:dave@example.test", user, "dave", callId, branch),
            "INVITE to" => Request("INVITE", userUri, "mallory", user, callId, branch),
            "INVITE wrong password" => WithCredentials("INVITE", "sip:dave@example.test", user, "dave", callId, branch, "Proxy-Authorization", ValidNonce(), DigestAlgorithm.Md5),
            "INVITE stale nonce" => WithCredentials("INVITE", "sip:dave@example.test", user, "dave", callId, branch, "Proxy-Authorization", StaleNonce(), DigestAlgorithm.Md5),
            "SUBSCRIBE" => Request(kind, userUri, "mallory", user, callId, branch, "Event: presence\n"),
            "NOTIFY" => Request(kind, userUri, "mallory", user, callId, branch, "Event: presence\nSubscription-State: active\n"),
            _ => Request(kind, userUri, "mallory", user, callId, branch),
        };
        var response = await SendAsync(client, text, callId);
        if (kind.StartsWith("INVITE", StringComparison.Ordinal))
        {
            // The ACK of a non-2xx (RFC 3261 §17.1.1.3): otherwise the 407 comes again and again.
            client.Send(Request("ACK", text.Split(' ')[1], kind == "INVITE to" ? "mallory" : user, kind == "INVITE to" ? user : "dave", callId, branch, toTag: response.To!.Tag));
        }

        return WireMask.Mask(response, user, callId, branch);
    }

    private static async Task<SipMessage> SendAsync(UdpSipClient client, string text, string callId)
    {
        client.Send(text);
        while (true)
        {
            var message = await client.ReceiveFinalAsync();
            if (message.CallId == callId)
            {
                return message;
            }
        }
    }

    private static string WithCredentials(string method, string requestUri, string fromUser, string toUser, string callId, string branch, string header, string nonce, DigestAlgorithm algorithm)
    {
        var credentials = DigestClient.Answer(nonce, fromUser, "not-the-password", method, requestUri, algorithm);
        var contact = method == "REGISTER" ? $"Contact: <sip:{fromUser}@127.0.0.1:5999>\n" : string.Empty;
        return Request(method, requestUri, fromUser, toUser, callId, branch, $"{header}: {credentials}\n{contact}");
    }

    private static string Request(string method, string requestUri, string fromUser, string toUser, string callId, string branch, string extraHeaders = "", string? toTag = null) =>
        $"{method} {requestUri} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:5999;branch={branch};rport\n" +
        "Max-Forwards: 70\n" +
        $"From: <sip:{fromUser}@{Domain}>;tag=enum1\n" +
        $"To: <sip:{toUser}@{Domain}>{(toTag is null ? string.Empty : ";tag=" + toTag)}\n" +
        $"Call-ID: {callId}\n" +
        $"CSeq: 1 {method}\n" +
        extraHeaders +
        "Content-Length: 0\n\n";

    private (string CallId, string Branch) NextIds()
    {
        var n = Interlocked.Increment(ref _sequence);
        return ($"enum-{n}-{Guid.NewGuid():N}", $"z9hG4bKenum{n}x{Guid.NewGuid():N}");
    }

    private static string ValidNonce() => Nonces(DateTimeOffset.UtcNow).Issue();

    /// <summary>Made by the server's key ten minutes ago, past the default five-minute lifetime: stale, not forged.</summary>
    private static string StaleNonce() => Nonces(DateTimeOffset.UtcNow.AddMinutes(-10)).Issue();

    private static NonceService Nonces(DateTimeOffset at) =>
        new(EnumerationServer.NonceSecret, Domain, TimeSpan.FromMinutes(5), new ManualTimeProvider(at));

    private ((int A, int B) Reads, (int A, int B) Hashes) Work(string a, string b) =>
        ((fixture.Counters.Reads(a), fixture.Counters.Reads(b)), (fixture.Counters.Hashes(a), fixture.Counters.Hashes(b)));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
