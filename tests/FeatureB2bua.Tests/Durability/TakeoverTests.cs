using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Durability;

/// <summary>
/// Issue 9, no ghost calls, two nodes: node 1 and node 2 share one PostgreSQL store, each with an answered call. Node 1
/// is killed with kill -9; once it has been silent for Cluster:DeadAfter, node 2 closes its call (one interrupted CDR)
/// and sends both of its phones a BYE in their dialogs, from node 2's own address. Node 2's own call goes on untouched,
/// and node 1, restarted under the same name, finds nothing left to close.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class TakeoverTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(3);
    private readonly int _port1 = ServerProcess.FreeUdpPort();
    private readonly int _port2 = ServerProcess.FreeUdpPort();
    private readonly UdpSipClient _callee1 = new(new IPEndPoint(IPAddress.Loopback, 9));
    private readonly UdpSipClient _callee2 = new(new IPEndPoint(IPAddress.Loopback, 9));
    private readonly List<IDisposable> _started = [];
    private PostgresServer? _postgres;
    private string _store = "";

    public async Task InitializeAsync()
    {
        if (PostgresServer.SkipReason is null)
        {
            _postgres = await PostgresServer.StartAsync();
            _store = await _postgres.CreateDatabaseAsync("ghost_takeover");
        }
    }

    /// <summary>The nodes go before the database they use.</summary>
    public async Task DisposeAsync()
    {
        _started.ForEach(d => d.Dispose());
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _callee1.Dispose();
        _callee2.Dispose();
    }

    [RequiresPostgresFact]
    public async Task NodeKilledWithACallUp_TheOtherNodeHangsUpBothLegs_ClosesItsCdrOnce_AndLeavesItsOwnCallAlone()
    {
        var node1 = await StartAsync("node-1", _port1, _callee1);
        var node2 = await StartAsync("node-2", _port2, _callee2);
        using var http = new HttpClient { BaseAddress = await node2.HttpAddress.WaitAsync(TimeSpan.FromSeconds(10)) };
        using var orphan = await AnsweredCall.StartAsync(_port1, _callee1);
        await orphan.FlushJournalAsync();
        using var own = await AnsweredCall.StartAsync(_port2, _callee2);
        await own.FlushJournalAsync();

        node1.KillHard();
        var killed = Stopwatch.StartNew();

        var node2SentBy = $"127.0.0.1:{_port2}";
        await orphan.CallerGetsByeAsync(node2SentBy, 15_000);
        await orphan.CalleeGetsByeAsync(node2SentBy, 5_000);
        // Silent since its last heartbeat, which a loaded machine may have delayed: a second of slack.
        Assert.True(killed.Elapsed > DeadAfter - TimeSpan.FromSeconds(1), $"taken over {killed.Elapsed} after the kill, before node 1 had been silent for {DeadAfter}");

        var metrics = await RestartHangsUpTests.PollMetricsAsync(http, """b2bua_orphan_byes_total{outcome="ended"} 2""");
        Assert.Contains("""b2bua_orphan_calls_hungup_total{how="takeover"} 1""", metrics, StringComparison.Ordinal);
        Assert.Contains(node2.Output, line => line.Contains("Node 'node-1' is silent: took over its 1 calls", StringComparison.Ordinal));
        var cdr = Assert.Single(await CdrsAsync(http), c => c.CallId == orphan.CallId);
        Assert.Equal((OpenCall.InterruptedResult, 200), (cdr.Result, cdr.FinalStatus));

        // Node 1 again under its own name: its calls are gone from the journal, so no second CDR and no second BYE.
        await StartAsync("node-1", _port1, _callee1);
        await orphan.AssertNoByeAsync(1000);
        Assert.Single(await CdrsAsync(http), c => c.CallId == orphan.CallId);

        // Node 2's own call, through several heartbeats since: still up, its phones got no BYE, and it ends as answered.
        await own.AssertNoByeAsync(200);
        Assert.Contains(own.CallId, await http.GetStringAsync("/api/calls"), StringComparison.Ordinal);
        await own.HangUpAsync();
        Assert.Equal("answered", Assert.Single(await CdrsAsync(http), c => c.CallId == own.CallId).Result);
    }

    private static async Task<List<Cdr>> CdrsAsync(HttpClient http) => (await http.GetFromJsonAsync<List<Cdr>>("/api/cdrs"))!;

    private async Task<ServerProcess> StartAsync(string node, int port, UdpSipClient callee)
    {
        var server = await ServerProcess.StartAsync(
            port,
            [
                "--Storage:Provider=postgres",
                $"--Storage:ConnectionString={_store}",
                $"--Cluster:NodeId={node}",
                "--Cluster:HeartbeatInterval=00:00:00.200",
                $"--Cluster:DeadAfter={DeadAfter}",
                "--Auth:NonceSecret=ghost-takeover",
                "--Routing:Trusted:0=127.0.0.1/32",
                .. CalleeRoute.Settings(callee.LocalEndPoint.Port),
            ]);
        _started.Add(server);
        return server;
    }

    private sealed record Cdr(string CallId, string Result, int FinalStatus);
}
