using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Interop;

/// <summary>SIPp UAC -> B2BUA -> SIPp UAS (Debian sip-tester), the peers' basic call scenarios.</summary>
[Collection(LoadCollection.Name)]
public sealed class SippCallTests
{
    /// <summary>
    /// Afterwards no call and no transaction is left. T1 stays at its 500 ms (a shorter one makes the B2BUA resend
    /// INVITEs that a loaded SIPp UAS then counts as unexpected), so the check waits out 64*T1 = 32 s; T4 and
    /// Timer D are shortened.
    /// </summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task BasicCall_1000CallsThroughTheB2bua_AllSucceedAndNothingIsLeft()
    {
        const int calls = 1000;
        var work = Directory.CreateTempSubdirectory("sipp-call-");
        var uasPort = ServerProcess.FreeUdpPort();
        await using var server = await ServerFixture.StartAsync(
            "--Routing:Trusted:0=127.0.0.0/8",
            "--Routing:Probe:Interval=00:00:00",
            "--Routing:Routes:0:Pattern=^service$",
            $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{uasPort}",
            "--Sip:Timers:T4=00:00:00.2",
            "--Sip:Timers:TimerD=00:00:01");
        var anchor = server.Services.GetRequiredService<MediaAnchor>();
        var portsBefore = anchor.FreePorts;
        var scenarios = Path.Combine(AppContext.BaseDirectory, "Interop", "Scenarios");
        var uasStats = Path.Combine(work.FullName, "uas.csv");
        var uacStats = Path.Combine(work.FullName, "uac.csv");

        var uas = PeerProgram.RunAsync(
            "sipp",
            ["-sf", Path.Combine(scenarios, "call-uas.xml"), "-t", "u1", "-i", "127.0.0.1", "-p", uasPort.ToString(CultureInfo.InvariantCulture), "-ci", "127.0.0.1", "-buff_size", "4194304",
             "-m", calls.ToString(CultureInfo.InvariantCulture), "-timeout", "40s", "-nostdin", "-trace_stat", "-stf", uasStats, "-fd", "1"],
            work.FullName,
            TimeSpan.FromSeconds(50));
        await Task.Delay(300);
        var (uacExit, uacOutput) = await PeerProgram.RunAsync(
            "sipp",
            ["-sf", Path.Combine(scenarios, "call-uac.xml"), "-t", "u1", "-i", "127.0.0.1", "-p", "0", "-ci", "127.0.0.1", "-buff_size", "4194304", "-s", "service",
             "-rsa", server.UdpEndPoint.ToString(), "-r", "200", "-m", calls.ToString(CultureInfo.InvariantCulture), "-d", "0",
             "-timeout", "30s", "-timeout_error", "-nostdin", "-trace_stat", "-stf", uacStats, "-fd", "1", $"127.0.0.1:{uasPort}"],
            work.FullName,
            TimeSpan.FromSeconds(40));
        var (uasExit, uasOutput) = await uas;

        Assert.True(uacExit == 0, $"UAC exited {uacExit}: {uacOutput}");
        Assert.True(uasExit == 0, $"UAS exited {uasExit}: {uasOutput}");
        Assert.Equal((calls, 0L), SippStats.Totals(uacStats));
        Assert.Equal((calls, 0L), SippStats.Totals(uasStats));

        var registry = server.Services.GetRequiredService<CallRegistry>();
        var transactions = server.Stack.Transactions;
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while ((registry.ActiveCount + transactions.ServerCount + transactions.ClientCount) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, registry.ActiveCount);
        Assert.Equal(0, anchor.ActiveSessions);
        Assert.Equal(portsBefore, anchor.FreePorts);
        Assert.Equal(0, transactions.ServerCount);
        Assert.Equal(0, transactions.ClientCount);
        Assert.Equal(calls, await AnsweredCdrsAsync(server, calls));
        work.Delete(recursive: true);
    }

    /// <summary>How many of the last CDRs in <c>GET /api/cdrs</c> are of answered calls, once there are <paramref name="expected"/> or the deadline passes (the store is written in the background).</summary>
    private static async Task<int> AnsweredCdrsAsync(ServerFixture server, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var cdrs = await server.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/cdrs?limit={expected}", UriKind.Relative));
            var answered = cdrs.EnumerateArray().Count(r => r.GetProperty("result").GetString() == "answered");
            if (answered >= expected || DateTime.UtcNow >= deadline)
            {
                return answered;
            }

            await Task.Delay(50);
        }
    }
}
