using System.Globalization;
using System.Text;
using System.Text.Json;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FeatureB2bua.Tests.Interop;

/// <summary>
/// SIPp (Debian sip-tester 3.6.1) registers against the real server with digest authentication: each test
/// starts its own server on its own subscribers and SQLite file, runs one scenario of Interop/Scenarios and
/// asserts SIPp's exit code and call counts. The scenarios are strict: any unexpected response fails the call.
/// </summary>
/// <remarks>
/// Two settings are there for SIPp 3.6.1, not for the server's sake. Its <c>[authentication]</c> computes MD5
/// only and stops the whole run ("authentication must use MD5 or AKAv1-MD5") when the first challenge is
/// SHA-256, which is the server's default order (RFC 8760), so these servers offer MD5 first. And it always
/// digests <c>uri="sip:remote_ip:remote_port"</c> whatever the Request-URI is, which the server checks against
/// the Request-URI (RFC 2617 §3.2.2.5); so the scenarios send to the server's own address, which the registrar
/// takes as its domain in a Request-URI (as phones configured with the server's IP do), while the AORs stay
/// user@example.test.
/// </remarks>
[Collection(LoadCollection.Name)]
public sealed class SippRegistrarTests
{
    private const string Domain = "example.test";

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Register_ChallengedThenRightPassword_200ListsBinding() => RunAsync("register-auth.xml", Subscribers(1));

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Register_RefreshOnSameCallIdReusingNonce_200WithNewInterval() => RunAsync("register-refresh.xml", Subscribers(1));

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Register_WithoutContact_200ListsCurrentBindings() => RunAsync("register-query.xml", Subscribers(1));

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Register_ExpiresZeroAndWildcard_BindingsRemoved() => RunAsync("register-unregister.xml", Subscribers(1));

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Register_WrongPasswordOrUnknownUser_Fresh401() => RunAsync("register-wrong-password.xml", Subscribers(1));

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Register_RepeatedWrongPasswords_403WithinMaxFailures() =>
        RunAsync("register-ban.xml", Subscribers(1), settings: ["--Auth:MaxFailures=5"]);

    /// <summary>Acceptance criterion of the registrar issue: a thousand phones each register once with digest, none fails.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Register_1000UsersWithDigest_All200() => RunAsync("register-auth.xml", Subscribers(1000), ratePerSecond: 200);

    private static (string User, string Password)[] Subscribers(int count) =>
        [.. Enumerable.Range(1, count).Select(i => ($"user{i:D4}", $"secret-{i:D4}"))];

    /// <summary>One SIPp call per subscriber, in order, against a fresh server; every call must succeed.</summary>
    private static async Task RunAsync(string scenario, (string User, string Password)[] subscribers, int ratePerSecond = 10, string[]? settings = null)
    {
        var work = Directory.CreateTempSubdirectory("sipp-register-");
        var provisioning = Path.Combine(work.FullName, "subscribers.json");
        var users = Path.Combine(work.FullName, "users.csv");
        var stats = Path.Combine(work.FullName, "stats.csv");
        var errors = Path.Combine(work.FullName, "errors.log");
        await File.WriteAllTextAsync(provisioning, JsonSerializer.Serialize(new
        {
            subscribers = subscribers.Select(s => new { user = s.User, password = s.Password }),
        }));
        var csv = new StringBuilder("SEQUENTIAL\n");
        foreach (var (user, password) in subscribers)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{user};{Domain};{password}\n");
        }

        await File.WriteAllTextAsync(users, csv.ToString());

        var server = await ServerFixture.StartAsync(
        [
            $"--Sip:Domain={Domain}",
            "--Auth:Algorithms:0=Md5",
            "--Auth:Algorithms:1=Sha256",
            $"--Provisioning:File={provisioning}",
            $"--Storage:ConnectionString=Data Source={Path.Combine(work.FullName, "b2bua.db")}",
            .. settings ?? [],
        ]);
        try
        {
            var calls = subscribers.Length.ToString(CultureInfo.InvariantCulture);
            var (exit, output) = await PeerProgram.RunAsync(
                "sipp",
                [
                    "-sf", Path.Combine(AppContext.BaseDirectory, "Interop", "Scenarios", scenario), "-inf", users,
                    "-t", "u1", "-i", "127.0.0.1", "-p", "0",
                    "-r", ratePerSecond.ToString(CultureInfo.InvariantCulture), "-m", calls, "-l", calls,
                    "-timeout", "25s", "-timeout_error", "-nostdin", "-trace_stat", "-stf", stats, "-fd", "1",
                    "-trace_err", "-error_file", errors,
                    server.UdpEndPoint.ToString(),
                ],
                work.FullName,
                TimeSpan.FromSeconds(35));

            var (successful, failed) = SippStats.Totals(stats);
            var log = File.Exists(errors) ? await File.ReadAllTextAsync(errors) : string.Empty;
            Assert.True(exit == 0, $"sipp exited {exit}: {output}\n{log}");
            Assert.True(failed == 0, $"{failed} failed calls: {log}");
            Assert.Equal(subscribers.Length, successful);
        }
        finally
        {
            await server.DisposeAsync();
            SqliteConnection.ClearAllPools();
            work.Delete(recursive: true);
        }
    }
}
