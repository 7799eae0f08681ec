using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureB2bua.Tests.Durability;
using FeatureB2bua.Tests.Infrastructure;
using FeatureB2bua.Tests.Observability;

namespace FeatureB2bua.Tests.Cluster;

/// <summary>One B2BUA node of <see cref="BalancedCluster"/>: the process, its admin API, its callee.</summary>
public sealed class ClusterNode : IDisposable
{
    private ClusterNode(string name, ServerProcess server, HttpClient http, IPEndPoint sip, AutoCallee callee)
    {
        Name = name;
        Server = server;
        Http = http;
        Sip = sip;
        Callee = callee;
    }

    public string Name { get; }

    public ServerProcess Server { get; }

    public HttpClient Http { get; }

    public IPEndPoint Sip { get; }

    public AutoCallee Callee { get; }

    public static async Task<ClusterNode> StartAsync(string name, string sqliteFile, IReadOnlyList<string> settings)
    {
        var callee = new AutoCallee();
        var sip = new IPEndPoint(IPAddress.Loopback, ServerProcess.FreeUdpPort());
        callee.Socket.Server = sip;
        ServerProcess? server = null;
        try
        {
            server = await ServerProcess.StartAsync(
                sip.Port,
                [
                    $"--Cluster:NodeId={name}",
                    $"--Storage:ConnectionString=Data Source={sqliteFile}",
                    "--Auth:NonceSecret=cluster-test",
                    "--Routing:Trusted:0=127.0.0.0/8",
                    .. CalleeRoute.Settings(callee.Socket.LocalEndPoint.Port),
                    .. settings,
                ]);
            var http = new HttpClient { BaseAddress = await server.HttpAddress.WaitAsync(TimeSpan.FromSeconds(10)) };
            return new ClusterNode(name, server, http, sip, callee);
        }
        catch
        {
            server?.Dispose();
            callee.Dispose();
            throw;
        }
    }

    /// <summary>The caller's Call-IDs of the calls the node has a CDR of.</summary>
    public async Task<IReadOnlySet<string>> CdrCallIdsAsync()
    {
        return (await CdrsAsync()).Select(c => c.GetProperty("callId").GetString()!).ToHashSet();
    }

    /// <summary>The CDR result of the call, or null while the node has none.</summary>
    public async Task<string?> CdrResultAsync(string callId)
    {
        return (await CdrsAsync()).Where(c => c.GetProperty("callId").GetString() == callId).Select(c => c.GetProperty("result").GetString()).FirstOrDefault();
    }

    /// <summary>The caller's Call-IDs of the node's active calls.</summary>
    public async Task<IReadOnlySet<string>> ActiveCallIdsAsync()
    {
        var calls = await Http.GetFromJsonAsync<List<JsonElement>>("/api/calls") ?? [];
        return calls.Select(c => c.GetProperty("aCallId").GetString()!).ToHashSet();
    }

    /// <summary>One sample of the node's /metrics (0 while the series is not there).</summary>
    public async Task<double> MetricAsync(string name, params (string Name, string Value)[] labels) =>
        PrometheusExposition.Parse(await Http.GetStringAsync("/metrics")).Value(name, labels) ?? 0;

    private async Task<List<JsonElement>> CdrsAsync() =>
        await Http.GetFromJsonAsync<List<JsonElement>>($"/api/cdrs?limit={CdrApi.MaxRecords}") ?? [];

    public void Dispose()
    {
        Http.Dispose();
        Server.Dispose();
        Callee.Dispose();
    }
}
