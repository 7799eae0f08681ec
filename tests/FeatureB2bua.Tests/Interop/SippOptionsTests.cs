using System.Globalization;
using System.Net;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Interop;

/// <summary>SIPp (Debian sip-tester) sends OPTIONS at 1000/s for 10 s over UDP and TCP: every one must get 200 OK.</summary>
[Collection(LoadCollection.Name)]
public sealed class SippOptionsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Options_1000PerSecondOverUdp_All200() => RunAsync("u1", server.UdpEndPoint);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Options_1000PerSecondOverTcp_All200() => RunAsync("t1", server.TcpEndPoint);

    private static async Task RunAsync(string transport, IPEndPoint target)
    {
        const int calls = 10_000;
        var work = Directory.CreateTempSubdirectory("sipp-options-");
        var stats = Path.Combine(work.FullName, "stats.csv");
        var scenario = Path.Combine(AppContext.BaseDirectory, "Interop", "Scenarios", "options-uac.xml");

        var (exit, output) = await PeerProgram.RunAsync(
            "sipp",
            [
                "-sf", scenario, "-t", transport, "-i", "127.0.0.1", "-p", "0", "-ci", "127.0.0.1",
                "-r", "1000", "-rp", "1000", "-m", calls.ToString(CultureInfo.InvariantCulture), "-l", "2000",
                "-timeout", "40s", "-timeout_error", "-nostdin", "-trace_stat", "-stf", stats, "-fd", "1",
                target.ToString(),
            ],
            work.FullName,
            TimeSpan.FromSeconds(60));

        var (successful, failed) = SippStats.Totals(stats);
        Assert.True(exit == 0, $"sipp exited {exit}: {output}");
        Assert.Equal(0, failed);
        Assert.Equal(calls, successful);
    }
}
