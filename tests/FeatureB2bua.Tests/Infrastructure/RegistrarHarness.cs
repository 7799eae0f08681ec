using System.Net;
using System.Text;
using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Storage.Sqlite;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>The registrar and authenticator over a real SQLite file and a manual clock; requests are built as bytes and parsed, as on the wire.</summary>
public sealed class RegistrarHarness : IDisposable
{
    public const string Domain = "example.test";
    private readonly string _directory = Directory.CreateTempSubdirectory("registrar-").FullName;

    public RegistrarHarness(AuthOptions? auth = null, RegistrarOptions? registrar = null, string trusted = "192.0.2.250/32", string domain = Domain)
    {
        Realm = domain;
        Auth = auth ?? new AuthOptions { NonceSecret = "test-secret" };
        Store = new SqliteStore($"Data Source={DatabasePath}");
        Nonces = new NonceService(Auth.NonceSecret, domain, Auth.NonceLifetime, Clock);
        Failures = new AuthFailureTracker(Clock, Auth);
        Authenticator = new DigestAuthenticator(
            Store, Nonces, new NonceCountTracker(Clock, Auth.NonceLifetime), Failures, new TrustedSources([trusted]), Auth, new AuthMetrics(), new DigestVerifier(domain), domain);
        Registrar = new Registrar(Store, Store, registrar ?? new RegistrarOptions(), domain, Clock, new RegistrarMetrics());
        foreach (var (user, password) in new[] { ("alice", "alice-pw"), ("bob", "bob-pw") })
        {
            Store.UpsertAsync(SubscriberCredentials.Create(user, password, domain)).GetAwaiter().GetResult();
        }

        Store.UpsertAsync(SubscriberCredentials.Create("carol", "carol-pw", domain) with { MayRegister = ["alice"] }).GetAwaiter().GetResult();
    }

    /// <summary>The domain and digest realm of this harness.</summary>
    public string Realm { get; }

    public string DatabasePath => Path.Combine(_directory, "b2bua.db");

    public ManualTimeProvider Clock { get; } = new();

    public AuthOptions Auth { get; }

    public SqliteStore Store { get; }

    public NonceService Nonces { get; }

    public AuthFailureTracker Failures { get; }

    public DigestAuthenticator Authenticator { get; }

    public Registrar Registrar { get; }

    public static SipMessage Register(string headers, string user = "alice", string callId = "reg-1", int cseq = 1, string source = "192.0.2.10", string requestUri = "sip:example.test") =>
        Parse(
            $"REGISTER {requestUri} SIP/2.0\n" +
            "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK" + callId + cseq + "\n" +
            "Max-Forwards: 70\n" +
            $"From: <sip:{user}@example.test>;tag=f1\n" +
            $"To: <sip:{user}@example.test>\n" +
            $"Call-ID: {callId}\n" +
            $"CSeq: {cseq} REGISTER\n" +
            headers +
            "Content-Length: 0\n\n",
            source);

    public static SipMessage Parse(string text, string source = "192.0.2.10")
    {
        var message = SipParser.Parse(Encoding.UTF8.GetBytes(SipText.Normalize(text)), out var rejection)!;
        Assert.False(rejection.IsRejected, rejection.ReasonPhrase);
        message.Source = new MessageSource(TransportProtocol.Udp, new IPEndPoint(IPAddress.Parse(source), 5062), new IPEndPoint(IPAddress.Loopback, 5060), null);
        return message;
    }

    public Task<SipMessage> RegisterAsync(string headers, string user = "alice", string callId = "reg-1", int cseq = 1, string? authenticatedUser = "alice") =>
        Registrar.RegisterAsync(Register(headers, user, callId, cseq), authenticatedUser);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
