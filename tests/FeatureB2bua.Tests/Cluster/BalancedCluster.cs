using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Cluster;

/// <summary>
/// Two B2BUA nodes as child processes, each routing <c>bob</c> to a callee of its own, behind Kamailio with the shipped
/// ops/kamailio/kamailio.cfg. Each node keeps its own SQLite file unless the settings name another store.
/// </summary>
public sealed class BalancedCluster : IDisposable
{
    private readonly DirectoryInfo _work;

    private BalancedCluster(DirectoryInfo work, IReadOnlyList<ClusterNode> nodes, KamailioProcess kamailio)
    {
        _work = work;
        Nodes = nodes;
        Kamailio = kamailio;
    }

    public IReadOnlyList<ClusterNode> Nodes { get; }

    public KamailioProcess Kamailio { get; }

    /// <param name="settings">Settings of both nodes, after (so over) the cluster's own.</param>
    public static async Task<BalancedCluster> StartAsync(params string[] settings)
    {
        var work = Directory.CreateTempSubdirectory("cluster-");
        var nodes = new List<ClusterNode>();
        try
        {
            for (var i = 1; i <= 2; i++)
            {
                nodes.Add(await ClusterNode.StartAsync($"node{i}", Path.Combine(work.FullName, $"node{i}.db"), settings));
            }

            // Kamailio's NODE_TIMEOUT at 1 s: a dead node costs a new call one second before the next node is tried.
            var kamailio = await KamailioProcess.StartAsync([.. nodes.Select(n => n.Sip)], "NODE_TIMEOUT=1000");
            var cluster = new BalancedCluster(work, nodes, kamailio);
            await kamailio.WaitForStatesAsync(TimeSpan.FromSeconds(10), [.. nodes.Select(n => (n.Sip, 'A'))]);
            return cluster;
        }
        catch
        {
            nodes.ForEach(n => n.Dispose());
            work.Delete(recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        Kamailio.Dispose();
        foreach (var node in Nodes)
        {
            node.Dispose();
        }

        _work.Delete(recursive: true);
    }
}
