using System.Net;
using System.Net.Http.Json;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Durability;

/// <summary>
/// Issue 9, no ghost calls, one node: killed with kill -9 during an answered call, the server restarted with the same
/// Cluster:NodeId on the same SQLite file closes the call (CDR interrupted) and sends both phones a BYE in their dialogs,
/// so neither is left holding a call nobody is relaying.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class RestartHangsUpTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("ghost-restart-");
    private readonly int _port = ServerProcess.FreeUdpPort();
    private readonly UdpSipClient _callee = new(new IPEndPoint(IPAddress.Loopback, 9));
    private readonly List<IDisposable> _started = [];

    public void Dispose()
    {
        _started.ForEach(d => d.Dispose());
        _callee.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task KilledDuringAnAnsweredCall_OnRestart_BothPhonesGetAByeInTheirDialog_AndTheCdrSaysInterrupted()
    {
        var server = await StartAsync();
        using var call = await AnsweredCall.StartAsync(_port, _callee);
        await call.FlushJournalAsync();

        server.KillHard();
        server = await StartAsync();

        var sentBy = $"127.0.0.1:{_port}";
        await call.CallerGetsByeAsync(sentBy, 10_000);
        await call.CalleeGetsByeAsync(sentBy, 10_000);

        using var http = new HttpClient { BaseAddress = await server.HttpAddress.WaitAsync(TimeSpan.FromSeconds(10)) };
        var cdr = Assert.Single((await http.GetFromJsonAsync<List<Cdr>>("/api/cdrs"))!, c => c.CallId == call.CallId);
        Assert.Equal((OpenCall.InterruptedResult, 200), (cdr.Result, cdr.FinalStatus));
        var metrics = await PollMetricsAsync(http, """b2bua_orphan_byes_total{outcome="ended"} 2""");
        Assert.Contains("""b2bua_orphan_calls_hungup_total{how="restart"} 1""", metrics, StringComparison.Ordinal);
        Assert.Contains(server.Output, line => line.Contains(call.CallId, StringComparison.Ordinal) && line.Contains("(restart)", StringComparison.Ordinal) && line.Contains("A ended, B ended", StringComparison.Ordinal));
    }

    /// <summary>The counts come once both 200s are in; the phones answered just now.</summary>
    internal static async Task<string> PollMetricsAsync(HttpClient http, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var metrics = await http.GetStringAsync("/metrics");
            if (metrics.Contains(expected, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                Assert.Contains(expected, metrics, StringComparison.Ordinal);
                return metrics;
            }

            await Task.Delay(50);
        }
    }

    private async Task<ServerProcess> StartAsync()
    {
        var server = await ServerProcess.StartAsync(
            _port,
            [
                $"--Storage:ConnectionString=Data Source={Path.Combine(_work.FullName, "b2bua.db")}",
                "--Cluster:NodeId=node-a",
                "--Routing:Trusted:0=127.0.0.1/32",
                .. CalleeRoute.Settings(_callee.LocalEndPoint.Port),
            ]);
        _started.Add(server);
        return server;
    }

    private sealed record Cdr(string CallId, string Result, int FinalStatus);
}
