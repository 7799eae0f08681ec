using System.Diagnostics.Metrics;
using System.Net;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureB2bua.Tests.Cluster;

/// <summary>
/// Two nodes of one cluster in-process, as docs/storage-postgres.md sets them up: one PostgreSQL database, one nonce
/// secret, two node ids. Each routes "bob" to <see cref="Callee"/> and trusts only 127.0.0.1 (the tests' callers), so
/// a phone on <see cref="PhoneAddress"/> answers digest challenges.
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    public const string NonceSecret = "cluster-test-nonce-secret-0123456789";

    public static readonly IPEndPoint PhoneAddress = new(IPAddress.Parse("127.0.0.3"), 0);

    private ClusterNodes(ServerFixture first, ServerFixture second, UdpSipClient callee, string connectionString)
    {
        First = first;
        Second = second;
        Callee = callee;
        ConnectionString = connectionString;
    }

    public ServerFixture First { get; }

    public ServerFixture Second { get; }

    public IReadOnlyList<ServerFixture> Nodes => [First, Second];

    public UdpSipClient Callee { get; }

    /// <summary>The database both nodes share.</summary>
    public string ConnectionString { get; }

    /// <param name="clock">Both nodes' clock when given (the tests that step through expiry).</param>
    public static async Task<ClusterNodes> StartAsync(PostgresServerFixture postgres, ManualTimeProvider? clock = null)
    {
        var database = await postgres.CreateDatabaseAsync();
        var callee = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        var first = await StartNodeAsync(database, "node-1", callee, clock);
        try
        {
            return new ClusterNodes(first, await StartNodeAsync(database, "node-2", callee, clock), callee, database);
        }
        catch
        {
            await first.DisposeAsync();
            callee.Dispose();
            throw;
        }
    }

    /// <summary>A node on the shared database with settings of the test's own (a third node, another nonce secret).</summary>
    public static Task<ServerFixture> StartNodeAsync(string database, string nodeId, UdpSipClient callee, ManualTimeProvider? clock, params string[] extraArgs) =>
        ServerFixture.StartAsync(
            clock is null ? null : services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
            [
                "--Storage:Provider=postgres",
                $"--Storage:ConnectionString={database}",
                $"--Auth:NonceSecret={NonceSecret}",
                $"--Cluster:NodeId={nodeId}",
                "--Routing:Trusted:0=127.0.0.1/32",
                .. CalleeRoute.Settings(callee.LocalEndPoint.Port, "^bob$"),
                .. extraArgs,
            ]);

    /// <summary>A call to bob entering <paramref name="node"/>, refused busy by the callee; returns its Call-ID once the caller has the 486.</summary>
    public async Task<string> BusyCallAsync(ServerFixture node)
    {
        using var caller = new UdpSipClient(node.UdpEndPoint);
        var callId = "cluster-" + Guid.NewGuid().ToString("N");
        caller.Send(CallHarness.InviteFrom(caller, callId));
        var bInvite = await CallHarness.NextRequestAsync(Callee, "INVITE");
        Callee.Server = node.UdpEndPoint;
        CallHarness.Responds(Callee, bInvite, 486, "Busy Here");
        await CallHarness.NextResponseAsync(caller, 486);
        return callId;
    }

    /// <summary>The meter of <paramref name="node"/>'s own core metrics (its meter factory hands out one instance per name).</summary>
    public static Meter CoreMeter(ServerFixture node) => node.Services.GetRequiredService<IMeterFactory>().Create(RegistrarMetrics.MeterName);

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
        Callee.Dispose();
    }
}
