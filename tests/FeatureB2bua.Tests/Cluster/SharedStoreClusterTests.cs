using System.Net;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Cluster;

/// <summary>
/// Issue 9's cluster test: PostgreSQL (the Debian package, started here) shared by two B2BUA nodes behind Kamailio. A
/// phone registers through node 1 only; calls through Kamailio land on both nodes and every one reaches the phone; all
/// CDRs are in the one table; each node's /metrics counts the calls it carried.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SharedStoreClusterTests
{
    private const string Password = "cluster-pw";

    [RequiresKamailioAndPostgresFact]
    public async Task APhoneRegisteredThroughOneNode_IsReachedByCallsEnteringEitherNode()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var store = await postgres.CreateDatabaseAsync("cluster");
        var provisioning = Path.Combine(AppContext.BaseDirectory, "cluster-subscribers.json");
        await File.WriteAllTextAsync(provisioning, $$"""{ "subscribers": [ { "user": "carol", "password": "{{Password}}" } ] }""");
        using var cluster = await BalancedCluster.StartAsync("--Storage:Provider=postgres", $"--Storage:ConnectionString={store}", $"--Provisioning:File={provisioning}");
        var (node1, node2) = (cluster.Nodes[0], cluster.Nodes[1]);

        using var phone = new RegisteredPhone();
        phone.Socket.Server = node1.Sip;
        var registered = await new RegisteringPhone(phone.Socket, "carol", Password).RegisterAsync($"Contact: <sip:carol@{phone.Socket.LocalEndPoint}>\nExpires: 3600\n");
        Assert.Equal(200, registered.StatusCode);
        phone.Start();

        // Until node 2, which never saw the REGISTER, has carried a call to the phone (each Call-ID is hashed anew).
        using var caller = new BalancedCaller(cluster.Kamailio);
        var calls = new List<string>();
        while (!phone.InvitedBy.Contains(node2.Sip) || !phone.InvitedBy.Contains(node1.Sip))
        {
            Assert.True(calls.Count < 24, $"24 calls through Kamailio and the phone was invited only by {string.Join(", ", phone.InvitedBy)}");
            var call = await caller.AnswerAsync("pg-" + Guid.NewGuid().ToString("N"), InDialogPath.RecordRoute, user: "carol");
            Assert.Equal(200, (await caller.HangUpAsync(call)).StatusCode);
            calls.Add(call.CallId);
        }

        // One CDR table: either node lists every call.
        var cdrs = await WaitForCdrsAsync(node2, calls);
        Assert.Superset(calls.ToHashSet(), cdrs.ToHashSet());
        var carried = 0.0;
        foreach (var node in cluster.Nodes)
        {
            var answered = await node.MetricAsync("b2bua_calls_total", ("result", "answered"), ("answered", "true"));
            Assert.True(answered > 0, $"{node.Name} counts no answered call");
            carried += answered;
        }

        Assert.Equal(calls.Count, carried);
    }

    private static async Task<IReadOnlySet<string>> WaitForCdrsAsync(ClusterNode node, IReadOnlyCollection<string> calls)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var cdrs = await node.CdrCallIdsAsync();
            if (calls.All(cdrs.Contains) || DateTime.UtcNow >= deadline)
            {
                return cdrs;
            }

            await Task.Delay(50);
        }
    }
}
