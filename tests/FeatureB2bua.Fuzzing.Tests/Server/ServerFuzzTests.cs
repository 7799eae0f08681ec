using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureB2bua.Fuzzing.Tests.Mutation;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;
using FeatureB2bua.Tests.Observability;
using Xunit.Abstractions;

namespace FeatureB2bua.Fuzzing.Tests.Server;

/// <summary>
/// Mutated corpus messages against the server as a child process, over UDP and TCP, for a bounded time. Afterwards
/// it must be alive, with no exception in its log, its memory bounded, the junk counted, nothing left open, and it
/// must still register a phone and carry a whole call.
/// </summary>
public sealed class ServerFuzzTests(ITestOutputHelper output) : IDisposable
{
    // The fuzz comes from an address of its own, trusted like a PBX so that its requests get past the digest
    // challenge into routing, the call core and the media anchor; the clean phones on 127.0.0.1 stay untrusted.
    private static readonly IPAddress FuzzSource = IPAddress.Parse("127.0.0.2");

    // Room for the JIT, the GC's own growth and the log lines of the run, beyond twice the start.
    private const long RssMarginBytes = 150L * 1024 * 1024;

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("server-fuzz-");

    [Fact]
    public async Task MutatedCorpus_OverUdpAndTcp_ServerSurvivesBounded_ThenRegistersAndCalls()
    {
        var corpus = FuzzCorpus.Load();
        var port = ServerProcess.FreeUdpPort();
        var provisioning = Path.Combine(_work.FullName, "subscribers.json");

        // Users the mutations never name, so the per-user failure bans the fuzz earns (alice, bob) do not reach them.
        await File.WriteAllTextAsync(provisioning, """{ "subscribers": [ { "user": "fz-caller", "password": "pw-caller" }, { "user": "fz-callee", "password": "pw-callee" } ] }""");
        using var server = await ServerProcess.StartAsync(
            port,
            $"--Storage:ConnectionString=Data Source={Path.Combine(_work.FullName, "b2bua.db")}",
            $"--Provisioning:File={provisioning}",
            $"--Routing:Trusted:0={FuzzSource}/32",

            // Every other call goes to an upstream where nothing listens: a B-leg is built and fails at once.
            "--Routing:Routes:0:Pattern=.*",
            $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{ServerProcess.FreeUdpPort()}",
            "--Routing:Probe:Interval=00:00:00",

            // Short timers, so that the transactions the junk opened are over soon after it stops (64*T1 = 6.4 s, Timer D 2 s).
            "--Sip:Timers:T1=00:00:00.1",
            "--Sip:Timers:TimerD=00:00:02");
        using var http = new HttpClient { BaseAddress = await server.HttpAddress.WaitAsync(TimeSpan.FromSeconds(10)) };
        var sip = new IPEndPoint(IPAddress.Loopback, port);
        var before = await MetricsAsync(http);
        var rssStart = ResidentMemory.Read(server.Id);

        var fuzzer = new ServerFuzzer(sip, corpus, FuzzSource);
        long rssPeak;
        await using (var rss = ResidentMemory.Watch(server.Id))
        {
            await fuzzer.RunAsync(FuzzSettings.FirstSeed, FuzzSettings.ServerBudget);
            rssPeak = rss.Peak;
        }

        var after = await MetricsAsync(http);
        var rejected = Total(after, "b2bua_sip_requests_rejected_total") - Total(before, "b2bua_sip_requests_rejected_total");
        var dropped = Total(after, "b2bua_sip_messages_dropped_total") + Total(after, "b2bua_transport_messages_dropped_total")
            - Total(before, "b2bua_sip_messages_dropped_total") - Total(before, "b2bua_transport_messages_dropped_total");
        var calls = Total(after, "b2bua_calls_total") - Total(before, "b2bua_calls_total");
        output.WriteLine(
            $"{fuzzer.Cases} cases from seed {FuzzSettings.FirstSeed}: {fuzzer.Datagrams} datagrams, {fuzzer.TcpConnections} TCP connections "
            + $"({fuzzer.LeftHanging} left hanging, {fuzzer.Reset} reset mid-message, {fuzzer.ClosedByServer} closed by the server); "
            + $"{rejected} answered 400/505, {dropped} dropped, {calls} calls routed; RSS {rssStart / 1048576} MiB at start, {rssPeak / 1048576} MiB at peak");

        Assert.True(await server.WaitForExitAsync(TimeSpan.FromMilliseconds(10)) is null, "the server exited:\n" + Log(server));
        Assert.DoesNotContain(server.Output, line => line.Contains("Exception", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal));
        Assert.Empty(server.Errors);
        Assert.True(rssPeak < (2 * rssStart) + RssMarginBytes, $"RSS peaked at {rssPeak} bytes from {rssStart} at start");
        Assert.True(rejected > 0, "no malformed request was answered 400/505 and counted");
        Assert.True(dropped > 0, "no unanswerable message was dropped and counted");
        Assert.True(calls > 0, "no mutated INVITE reached the call core");

        await AssertNothingLeftAsync(http);
        await AssertRegistersAndCallsAsync(sip, http);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }

    private static async Task<PrometheusExposition> MetricsAsync(HttpClient http) =>
        PrometheusExposition.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    private static double Total(PrometheusExposition metrics, string name) =>
        metrics.Families.Values.SelectMany(f => f.Samples).Where(s => s.Name == name).Sum(s => s.Value);

    private static string Log(ServerProcess server) => string.Join('\n', server.Output.TakeLast(40).Concat(server.Errors));

    /// <summary>No call, media session or TCP connection outlives the junk; transactions too, once their timers have run.</summary>
    private static async Task AssertNothingLeftAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var calls = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/calls", UriKind.Relative));
            var metrics = await MetricsAsync(http);
            var open = new Dictionary<string, double>
            {
                ["calls"] = calls.GetArrayLength(),
                ["b2bua_calls_active"] = Total(metrics, "b2bua_calls_active"),
                ["b2bua_media_sessions_active"] = Total(metrics, "b2bua_media_sessions_active"),
                ["b2bua_transport_connections_open"] = Total(metrics, "b2bua_transport_connections_open"),
                ["b2bua_sip_transactions_active"] = Total(metrics, "b2bua_sip_transactions_active"),
            };
            if (open.Values.All(v => v == 0))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "still open 15 s after the fuzz: " + string.Join(", ", open.Select(o => $"{o.Key}={o.Value}")));
            await Task.Delay(250);
        }
    }

    /// <summary>RFC 3665 §2.1 and §3.1 on a clean path: REGISTER with digest (200), then INVITE/407/INVITE/180/200/ACK/BYE to the registered phone.</summary>
    private static async Task AssertRegistersAndCallsAsync(IPEndPoint sip, HttpClient http)
    {
        using var callee = new UdpSipClient(sip);
        var registered = await new RegisteringPhone(callee, "fz-callee", "pw-callee").RegisterAsync($"Contact: <sip:fz-callee@{callee.LocalEndPoint}>\nExpires: 600\n");
        Assert.Equal(200, registered.StatusCode);

        using var caller = new UdpSipClient(sip);
        var callId = "after-fuzz-" + Guid.NewGuid().ToString("N");
        caller.Send(CallHarness.InviteFrom(caller, callId, "z9hG4bKfz1", user: "fz-callee").Replace("sip:alice@", "sip:fz-caller@", StringComparison.Ordinal));
        var challenge = await caller.ReceiveFinalAsync();
        Assert.Equal(407, challenge.StatusCode);
        caller.Send(SipText.Request("ACK", "sip:fz-callee@example.test", "z9hG4bKfz1", callId, via: caller.LocalEndPoint.ToString())
            .Replace("sip:alice@", "sip:fz-caller@", StringComparison.Ordinal)
            .Replace("To: <sip:bob@example.test>", $"To: <sip:fz-callee@example.test>;tag={challenge.To!.Tag}", StringComparison.Ordinal));

        var credentials = DigestClient.Answer(challenge, "fz-caller", "pw-caller", "INVITE", "sip:fz-callee@example.test", header: HeaderId.ProxyAuthenticate);
        caller.Send(CallHarness.InviteFrom(caller, callId, "z9hG4bKfz2", user: "fz-callee", extraHeaders: $"Proxy-Authorization: {credentials}\n")
            .Replace("sip:alice@", "sip:fz-caller@", StringComparison.Ordinal)
            .Replace("CSeq: 1 INVITE", "CSeq: 2 INVITE", StringComparison.Ordinal));
        var bInvite = await CallHarness.NextRequestAsync(callee, "INVITE");
        CallHarness.Responds(callee, bInvite, 180, "Ringing", user: "fz-callee");
        await CallHarness.NextResponseAsync(caller, 180);
        CallHarness.Responds(callee, bInvite, 200, "OK", body: CallHarness.AnswerSdp, user: "fz-callee");
        var answer = await CallHarness.NextResponseAsync(caller, 200);
        await CallHarness.NextRequestAsync(callee, "ACK");
        caller.Send(CallHarness.CallerRequestFrom(caller, callId, "ACK", answer, "z9hG4bKfzack", 2).Replace("sip:alice@", "sip:fz-caller@", StringComparison.Ordinal));
        caller.Send(CallHarness.CallerRequestFrom(caller, callId, "BYE", answer, "z9hG4bKfzbye", 3).Replace("sip:alice@", "sip:fz-caller@", StringComparison.Ordinal));
        CallHarness.Responds(callee, await CallHarness.NextRequestAsync(callee, "BYE"), 200, "OK", user: "fz-callee");
        await CallHarness.NextResponseAsync(caller, 200, "BYE");

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var cdrs = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/cdrs", UriKind.Relative));
            if (cdrs.EnumerateArray().Any(c => c.GetProperty("callId").GetString() == callId && c.GetProperty("result").GetString() == "answered"))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "no answered CDR for the clean call: " + cdrs);
            await Task.Delay(50);
        }
    }
}
