using System.Globalization;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Interop;

/// <summary>SIPp UAC -> B2BUA -> SIPp UAS (Debian sip-tester), the peers' basic call scenarios.</summary>
public sealed class SippCallTests
{
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task BasicCall_200CallsThroughTheB2bua_AllSucceedOnBothSides()
    {
        const int calls = 200;
        var work = Directory.CreateTempSubdirectory("sipp-call-");
        var uasPort = ServerProcess.FreeUdpPort();
        await using var server = await ServerFixture.StartAsync(
            "--Routing:Trusted:0=127.0.0.0/8",
            "--Routing:Routes:0:Pattern=^service$",
            $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{uasPort}");
        var scenarios = Path.Combine(AppContext.BaseDirectory, "Interop", "Scenarios");
        var uasStats = Path.Combine(work.FullName, "uas.csv");
        var uacStats = Path.Combine(work.FullName, "uac.csv");

        var uas = PeerProgram.RunAsync(
            "sipp",
            ["-sf", Path.Combine(scenarios, "call-uas.xml"), "-t", "u1", "-i", "127.0.0.1", "-p", uasPort.ToString(CultureInfo.InvariantCulture), "-ci", "127.0.0.1",
             "-m", calls.ToString(CultureInfo.InvariantCulture), "-timeout", "40s", "-nostdin", "-trace_stat", "-stf", uasStats, "-fd", "1"],
            work.FullName,
            TimeSpan.FromSeconds(50));
        await Task.Delay(300);
        var (uacExit, uacOutput) = await PeerProgram.RunAsync(
            "sipp",
            ["-sf", Path.Combine(scenarios, "call-uac.xml"), "-t", "u1", "-i", "127.0.0.1", "-p", "0", "-ci", "127.0.0.1", "-s", "service",
             "-rsa", server.UdpEndPoint.ToString(), "-r", "50", "-m", calls.ToString(CultureInfo.InvariantCulture), "-d", "0",
             "-timeout", "30s", "-timeout_error", "-nostdin", "-trace_stat", "-stf", uacStats, "-fd", "1", $"127.0.0.1:{uasPort}"],
            work.FullName,
            TimeSpan.FromSeconds(40));
        var (uasExit, uasOutput) = await uas;

        Assert.True(uacExit == 0, $"UAC exited {uacExit}: {uacOutput}");
        Assert.True(uasExit == 0, $"UAS exited {uasExit}: {uasOutput}");
        Assert.Equal((calls, 0L), SippStats.Totals(uacStats));
        Assert.Equal((calls, 0L), SippStats.Totals(uasStats));
        work.Delete(recursive: true);
    }
}
