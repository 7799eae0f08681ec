using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Cluster;

/// <summary>
/// Issue 9: Kamailio's dispatcher (ops/kamailio/kamailio.cfg as shipped) in front of two B2BUA nodes, on the wire.
/// Calls are spread by Call-ID and every request of a call reaches the node that holds it; a draining node and a
/// killed node are taken out by the OPTIONS probes and new calls go to the other one.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class DispatcherTests
{
    [RequiresPeerFact(KamailioProcess.Program, KamailioProcess.DebianPackage)]
    public async Task CallsAreSpreadOverBothNodes_AndEachCallsAckAndByeReachTheNodeThatHoldsIt()
    {
        using var cluster = await BalancedCluster.StartAsync();
        using var caller = new BalancedCaller(cluster.Kamailio);

        // 24 Call-IDs: the chance that the hash puts them all on one node is 2^-23.
        var calls = new List<string>();
        foreach (var path in Enumerable.Repeat(Enum.GetValues<InDialogPath>(), 8).SelectMany(p => p))
        {
            var call = await caller.AnswerAsync(NewCallId(), path);
            var bye = await caller.HangUpAsync(call);
            Assert.True(bye.StatusCode == 200, $"the BYE of {call.CallId} ({path}) got {bye.StatusCode} {bye.ReasonPhrase}: it reached a node that does not hold the call");
            calls.Add(call.CallId);
        }

        var cdrs = await CdrsOnceWrittenAsync(cluster, calls.Count);
        Assert.All(calls, id => Assert.Single(cluster.Nodes, n => cdrs[n].Contains(id)));
        foreach (var node in cluster.Nodes)
        {
            var mine = calls.Where(cdrs[node].Contains).ToList();
            Assert.True(mine.Count > 0, $"{node.Name} got none of {calls.Count} calls");
            foreach (var id in mine)
            {
                Assert.Equal("answered", await node.CdrResultAsync(id));
            }

            // Each of its calls' ACKs reached it, and none of another node's calls: one ACK per call.
            Assert.Equal(mine.Count, await node.MetricAsync("b2bua_sip_requests_total", ("method", "ACK")));
            Assert.Equal(mine.Count, await node.MetricAsync("b2bua_calls_total", ("result", "answered"), ("answered", "true")));
        }
    }

    [RequiresPeerFact(KamailioProcess.Program, KamailioProcess.DebianPackage)]
    public async Task ADrainingNode_IsTakenOutByTheProbes_NewCallsGoToTheOther_AndItsOwnCallEndsWithBye()
    {
        using var cluster = await BalancedCluster.StartAsync("--Drain:TimeoutSeconds=60");
        using var caller = new BalancedCaller(cluster.Kamailio);
        var held = await caller.AnswerAsync(NewCallId(), InDialogPath.RecordRoute);
        var draining = await HolderAsync(cluster, held.CallId);
        var other = cluster.Nodes.Single(n => n != draining);

        using var drain = await draining.Http.PostAsync(new Uri("/api/drain", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, drain.StatusCode);

        // At once: a call the hash gives to the draining node before a probe has seen it gets 503 there (§21.5.4) and
        // is failed over; then the probes mark the node inactive and the hash leaves it out.
        var fresh = await AnswerAndHangUpAsync(caller, 6);
        await cluster.Kamailio.WaitForStatesAsync(TimeSpan.FromSeconds(10), (draining.Sip, 'I'), (other.Sip, 'A'));
        fresh.AddRange(await AnswerAndHangUpAsync(caller, 6));

        var cdrs = await CdrsOnceWrittenAsync(cluster, fresh.Count);
        Assert.Superset(fresh.ToHashSet(), cdrs[other].ToHashSet());
        Assert.DoesNotContain(cdrs[draining], fresh.Contains);

        var bye = await caller.HangUpAsync(held);
        Assert.Equal(200, bye.StatusCode);
        Assert.Equal("answered", await WaitForCdrResultAsync(draining, held.CallId));
        Assert.Equal(0, await draining.Server.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    [RequiresPeerFact(KamailioProcess.Program, KamailioProcess.DebianPackage)]
    public async Task AKilledNode_IsTakenOut_AndNewCallsStillSucceed()
    {
        using var cluster = await BalancedCluster.StartAsync();
        using var caller = new BalancedCaller(cluster.Kamailio);
        var (dead, alive) = (cluster.Nodes[0], cluster.Nodes[1]);
        dead.Server.KillHard();

        // At once: a call the hash gives to the dead node gets no answer within NODE_TIMEOUT and goes to the next
        // node; then the probes mark the dead one inactive.
        var calls = await AnswerAndHangUpAsync(caller, 6);
        await cluster.Kamailio.WaitForStatesAsync(TimeSpan.FromSeconds(10), (dead.Sip, 'I'), (alive.Sip, 'A'));
        calls.AddRange(await AnswerAndHangUpAsync(caller, 6));

        var cdrs = await alive.CdrCallIdsAsync();
        Assert.Superset(calls.ToHashSet(), cdrs.ToHashSet());
    }

    private static string NewCallId() => "lb-" + Guid.NewGuid().ToString("N");

    /// <summary><paramref name="count"/> calls through the balancer, each answered and hung up with 200; their Call-IDs.</summary>
    private static async Task<List<string>> AnswerAndHangUpAsync(BalancedCaller caller, int count)
    {
        var calls = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var call = await caller.AnswerAsync(NewCallId(), InDialogPath.RecordRoute);
            Assert.Equal(200, (await caller.HangUpAsync(call)).StatusCode);
            calls.Add(call.CallId);
        }

        return calls;
    }

    /// <summary>The node whose /api/calls lists the call.</summary>
    private static async Task<ClusterNode> HolderAsync(BalancedCluster cluster, string callId)
    {
        foreach (var node in cluster.Nodes)
        {
            if ((await node.ActiveCallIdsAsync()).Contains(callId))
            {
                return node;
            }
        }

        throw new Xunit.Sdk.XunitException($"no node lists {callId} as active");
    }

    /// <summary>Each node's CDR Call-IDs once the nodes hold <paramref name="total"/> between them (written in the background), or after 5 s.</summary>
    private static async Task<Dictionary<ClusterNode, IReadOnlySet<string>>> CdrsOnceWrittenAsync(BalancedCluster cluster, int total)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var cdrs = new Dictionary<ClusterNode, IReadOnlySet<string>>();
            foreach (var node in cluster.Nodes)
            {
                cdrs[node] = await node.CdrCallIdsAsync();
            }

            if (cdrs.Values.Sum(c => c.Count) >= total || DateTime.UtcNow >= deadline)
            {
                return cdrs;
            }

            await Task.Delay(50);
        }
    }

    private static async Task<string?> WaitForCdrResultAsync(ClusterNode node, string callId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var result = await node.CdrResultAsync(callId);
            if (result is not null || DateTime.UtcNow >= deadline)
            {
                return result;
            }

            await Task.Delay(50);
        }
    }
}
