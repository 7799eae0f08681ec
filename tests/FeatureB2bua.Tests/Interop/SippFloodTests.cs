using System.Globalization;
using System.Net.Http.Json;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Interop;

/// <summary>
/// Issue 8's flood test: one SIPp floods INVITEs from 127.0.0.3 at 10000/s, several times the calls per second the server
/// can carry, while a second SIPp pair on 127.0.0.1 (a trusted PBX) runs ordinary calls through the B2BUA; every
/// one of those calls must complete. The flooder is limited, then banned, and dropped before parsing; without the gate about a fifth of the calls fail at this rate.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SippFloodTests
{
    private const int FloodRate = 10_000;
    private const int FloodInvites = 100_000;
    private const int Calls = 150;
    private const int CallRate = 30;

    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task InviteFloodFromOneSource_CallsFromAnotherAllComplete()
    {
        var work = Directory.CreateTempSubdirectory("sipp-flood-");
        var uasPort = ServerProcess.FreeUdpPort();
        await using var server = await ServerFixture.StartAsync(
            "--Routing:Trusted:0=127.0.0.1/32",
            "--Routing:Probe:Interval=00:00:00",
            "--Routing:Routes:0:Pattern=^service$",
            $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{uasPort}",
            "--Sip:Timers:T4=00:00:00.2",
            "--Sip:Timers:TimerD=00:00:01");

        var uas = SippPair.StartUas("call-uas.xml", uasPort, Calls, work, TimeSpan.FromSeconds(40));
        var flood = FloodAsync(server, work);
        await Task.Delay(500);
        var uac = await SippPair.RunUacAsync("call-uac.xml", server.UdpEndPoint, "service", uasPort, Calls, CallRate, work, TimeSpan.FromSeconds(35));
        var (floodExit, floodOutput, floodSent) = await flood;
        var uasResult = await uas;

        Assert.True(uac.Problems(Calls).Length == 0, uac.Problems(Calls));
        Assert.True(uasResult.Problems(Calls).Length == 0, uasResult.Problems(Calls));

        // The flood did run at its rate for the length of the calls, and its source ended up banned.
        Assert.True(floodExit == 0 && floodSent == FloodInvites, $"flood: exit {floodExit}, {floodSent}/{FloodInvites} INVITEs sent\n{floodOutput}");
        var bans = await server.Http.GetFromJsonAsync<BanView[]>("/api/bans") ?? [];
        Assert.Contains(bans, b => b.Source == "127.0.0.3" && b.Reason == "flood");
        work.Delete(recursive: true);
    }

    /// <summary>SIPp from 127.0.0.3 (its -i), one INVITE per "call", straight at the server.</summary>
    private static async Task<(int Exit, string Output, long Sent)> FloodAsync(ServerFixture server, DirectoryInfo work)
    {
        var stats = Path.Combine(work.FullName, "flood.csv");
        var (exit, output) = await PeerProgram.RunAsync(
            "sipp",
            ["-sf", SippPair.Scenario("flood-invite-uac.xml"), "-t", "u1", "-i", "127.0.0.3", "-p", "0", "-buff_size", "4194304", "-s", "service",
             "-r", FloodRate.ToString(CultureInfo.InvariantCulture), "-m", FloodInvites.ToString(CultureInfo.InvariantCulture),
             "-timeout", "30s", "-nostdin", "-trace_stat", "-stf", stats, "-fd", "1", server.UdpEndPoint.ToString()],
            work.FullName,
            TimeSpan.FromSeconds(35));
        return (exit, output, SippStats.Totals(stats).Successful);
    }

    private sealed record BanView(string Source, DateTimeOffset Until, string Reason);
}
