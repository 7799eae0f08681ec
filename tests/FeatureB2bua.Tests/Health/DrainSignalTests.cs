using System.Net;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Storage.Sqlite;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Health;

/// <summary>
/// A real SIGTERM to the server as a child process, as systemd, Docker or Kubernetes send it: the drain runs while
/// the SIP stack and the HTTP listener still serve, and the process exits 0 when it is over.
/// </summary>
public sealed class DrainSignalTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("drain-signal-");
    private readonly UdpSipClient _callee = new(new IPEndPoint(IPAddress.Loopback, 9));
    private readonly string _callId = "sigterm-" + Guid.NewGuid().ToString("N");
    private readonly List<IDisposable> _started = [];

    private string Store => $"Data Source={Path.Combine(_work.FullName, "b2bua.db")}";

    [Fact]
    public async Task Sigterm_WithACallUp_FailsReadyz_RefusesNewCalls_LetsTheCallEnd_ThenExits0()
    {
        var (server, caller, http) = await StartAsync();
        var (bInvite, answer) = await ConnectAsync(caller);

        server.Terminate();

        Assert.Equal("draining: fail (draining, 1 calls left)", await DrainingLineAsync(http, server));
        using var other = new UdpSipClient(_callee.Server);
        other.Send(CallHarness.InviteFrom(other, "after-sigterm"));
        var refused = await other.ReceiveFinalAsync();
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal("30", refused.GetHeader(HeaderId.RetryAfter));

        // The caller hangs up: its BYE is relayed as ever, and with the last call gone the process ends.
        caller.Send(CallHarness.CallerRequestFrom(caller, _callId, "BYE", answer, "z9hG4bKbye", 2));
        var bBye = await CallHarness.NextRequestAsync(_callee, "BYE");
        Assert.Equal(bInvite.CallId, bBye.CallId);
        CallHarness.Responds(_callee, bBye, 200, "OK");
        await CallHarness.NextResponseAsync(caller, 200, "BYE");

        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(5)) == 0, "no exit 0 within 5 s:\n" + string.Join('\n', server.Output));
    }

    [Fact]
    public async Task Sigterm_CallOutlastsDrainTimeout_BothLegsGetBye_CdrStored_Exits0()
    {
        var (server, caller, _) = await StartAsync("--Drain:TimeoutSeconds=2");
        var (bInvite, _) = await ConnectAsync(caller);

        server.Terminate();

        var aBye = await CallHarness.NextRequestAsync(caller, "BYE", timeoutMs: 6000);
        var bBye = await CallHarness.NextRequestAsync(_callee, "BYE", timeoutMs: 3000);
        Assert.Equal(_callId, aBye.CallId);
        Assert.Equal(bInvite.CallId, bBye.CallId);
        CallHarness.Responds(caller, aBye, 200, "OK", toTag: null, user: "alice");
        CallHarness.Responds(_callee, bBye, 200, "OK");
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(5)) == 0, "no exit 0 within 5 s:\n" + string.Join('\n', server.Output));

        using var store = new SqliteStore(Store);
        var cdr = Assert.Single(await store.ListRecentAsync(10));
        Assert.Equal(_callId, cdr.CallId);
        Assert.Equal("drain-timeout", cdr.Result);
    }

    public void Dispose()
    {
        foreach (var started in _started)
        {
            started.Dispose();
        }

        _callee.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }

    private async Task<(ServerProcess Server, UdpSipClient Caller, HttpClient Http)> StartAsync(params string[] settings)
    {
        var port = ServerProcess.FreeUdpPort();
        var server = await ServerProcess.StartAsync(
            port,
            [
                $"--Storage:ConnectionString={Store}",
                "--Routing:Trusted:0=127.0.0.0/8",
                "--Routing:Routes:0:Pattern=^bob$",
                $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{_callee.LocalEndPoint.Port}",
                "--Routing:Probe:Interval=00:00:00",
                "--Media:InactivityTimeoutSeconds=0",
                .. settings,
            ]);
        _started.Add(server);
        _callee.Server = new IPEndPoint(IPAddress.Loopback, port);
        var caller = new UdpSipClient(_callee.Server);
        _started.Add(caller);
        var http = new HttpClient { BaseAddress = await server.HttpAddress.WaitAsync(TimeSpan.FromSeconds(10)) };
        _started.Add(http);
        return (server, caller, http);
    }

    /// <summary>An answered and ACKed call from <paramref name="caller"/> to the callee.</summary>
    private async Task<(SipMessage BInvite, SipMessage Answer)> ConnectAsync(UdpSipClient caller)
    {
        caller.Send(CallHarness.InviteFrom(caller, _callId));
        var bInvite = await CallHarness.NextRequestAsync(_callee, "INVITE");
        CallHarness.Responds(_callee, bInvite, 200, "OK", body: CallHarness.AnswerSdp);
        var answer = await CallHarness.NextResponseAsync(caller, 200);
        await CallHarness.NextRequestAsync(_callee, "ACK");
        caller.Send(CallHarness.CallerRequestFrom(caller, _callId, "ACK", answer, "z9hG4bKack", 1));
        return (bInvite, answer);
    }

    /// <summary>The <c>draining</c> line of <c>/readyz</c> once it answers 503: the signal is handled on a thread of its own, a moment after kill().</summary>
    private static async Task<string> DrainingLineAsync(HttpClient http, ServerProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var (status, checks) = await HealthHttp.ReadyAsync(http);
            if (status == HttpStatusCode.ServiceUnavailable)
            {
                return checks["draining"];
            }

            Assert.True(DateTime.UtcNow < deadline, "/readyz still 200 5 s after SIGTERM:\n" + string.Join('\n', server.Output));
            await Task.Delay(20);
        }
    }
}
