using System.Net.Http.Json;
using System.Text.Json;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Cluster;

/// <summary>
/// Two nodes sharing one PostgreSQL store behave as one server (issue 9, item 2): a registration through one is a
/// location for the other, a nonce of one is good at the other, CDRs land in one table, and a binding is reaped once.
/// </summary>
public sealed class CrossNodeTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [RequiresPostgresFact]
    public async Task Phone_registered_with_digest_through_node_1_is_reached_by_a_call_entering_node_2()
    {
        await using var cluster = await ClusterNodes.StartAsync(postgres);
        using var phone = new UdpSipClient(cluster.First.UdpEndPoint, ClusterNodes.PhoneAddress);
        var contact = $"sip:carol@{phone.LocalEndPoint}";
        var registered = await new RegisteringPhone(phone, "carol", "carol-demo-pw").RegisterAsync($"Contact: <{contact}>\nExpires: 600\n");

        using var caller = new UdpSipClient(cluster.Second.UdpEndPoint);
        caller.Send(CallHarness.InviteFrom(caller, "cross-" + Guid.NewGuid().ToString("N"), user: "carol"));
        var bInvite = await CallHarness.NextRequestAsync(phone, "INVITE");
        phone.Server = cluster.Second.UdpEndPoint;
        CallHarness.Responds(phone, bInvite, 486, "Busy Here", user: "carol");
        var busy = await CallHarness.NextResponseAsync(caller, 486);

        Assert.Equal(200, registered.StatusCode);
        Assert.Equal(contact, bInvite.RequestUri!.Raw);
        Assert.Equal(486, busy.StatusCode);
    }

    [RequiresPostgresFact]
    public async Task Nonce_from_node_1s_challenge_is_accepted_by_node_2_and_refused_by_a_node_with_another_secret()
    {
        await using var cluster = await ClusterNodes.StartAsync(postgres);
        await using var stranger = await ClusterNodes.StartNodeAsync(
            cluster.ConnectionString, "node-3", cluster.Callee, clock: null, "--Auth:NonceSecret=another-secret-of-its-own-0123456789");
        using var phone = new UdpSipClient(cluster.First.UdpEndPoint, ClusterNodes.PhoneAddress);
        using var strangersPhone = new UdpSipClient(cluster.First.UdpEndPoint, ClusterNodes.PhoneAddress);
        const string Headers = "Contact: <sip:carol@192.0.2.33>\nExpires: 600\n";

        var registered = await new RegisteringPhone(phone, "carol", "carol-demo-pw") { AnswerTo = cluster.Second.UdpEndPoint }.RegisterAsync(Headers);
        var refused = await new RegisteringPhone(strangersPhone, "carol", "carol-demo-pw") { AnswerTo = stranger.UdpEndPoint }.RegisterAsync(Headers);

        Assert.Equal(200, registered.StatusCode);
        Assert.NotEqual(200, refused.StatusCode);
        var bindings = await cluster.First.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/registrations", UriKind.Relative));
        Assert.Equal("sip:carol@192.0.2.33", Assert.Single(bindings.EnumerateArray()).GetProperty("contact").GetString());
    }

    [RequiresPostgresFact]
    public async Task Cdrs_of_calls_through_both_nodes_are_listed_by_either_node()
    {
        await using var cluster = await ClusterNodes.StartAsync(postgres);

        var throughFirst = await cluster.BusyCallAsync(cluster.First);
        var throughSecond = await cluster.BusyCallAsync(cluster.Second);

        foreach (var node in cluster.Nodes)
        {
            var cdrs = await CdrApi.WaitForAsync(node, 2);
            Assert.Equal(new[] { throughFirst, throughSecond }.Order(), cdrs.Select(c => c.CallId).Order());
        }
    }

    [RequiresPostgresFact]
    public async Task Expired_binding_is_reaped_once_across_both_nodes()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await ClusterNodes.StartAsync(postgres, clock);

        // Each node's own meter: in one process, /metrics of either node would show both nodes' counts.
        using var first = new MeterRecorder(ClusterNodes.CoreMeter(cluster.First));
        using var second = new MeterRecorder(ClusterNodes.CoreMeter(cluster.Second));
        using var phone = new UdpSipClient(cluster.First.UdpEndPoint, ClusterNodes.PhoneAddress);
        var registered = await new RegisteringPhone(phone, "alice", "alice-demo-pw").RegisterAsync("Contact: <sip:alice@192.0.2.5>\nExpires: 60\n");
        Assert.Equal(200, registered.StatusCode);

        // Both nodes' reapers tick at every step of the shared clock; the binding is due after the second step.
        clock.Advance(TimeSpan.FromSeconds(59));
        clock.Advance(TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Reaped() < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        // More ticks of both reapers, which find nothing left to reap.
        for (var tick = 0; tick < 3; tick++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(200);
        }

        Assert.Equal(1, Reaped());
        Assert.Equal(0, await BindingRowsAsync(cluster.ConnectionString));

        long Reaped() => first.Total("b2bua_bindings_reaped") + second.Total("b2bua_bindings_reaped");
    }

    [RequiresPostgresFact]
    public async Task Password_changed_through_node_1_holds_at_node_2_within_its_subscriber_cache_lifetime_of_2_s()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await ClusterNodes.StartAsync(postgres, clock);
        const string Headers = "Contact: <sip:carol@192.0.2.44>\nExpires: 600\n";
        Assert.Equal(200, (await RegisterThroughSecondAsync("carol-demo-pw")).StatusCode);

        var changed = await cluster.First.Http.PutAsJsonAsync(new Uri("/api/subscribers/carol", UriKind.Relative), new { password = "carol-new-pw" });
        var withinTheBound = await RegisterThroughSecondAsync("carol-new-pw");
        clock.Advance(TimeSpan.FromSeconds(2));
        var afterTheBound = await RegisterThroughSecondAsync("carol-new-pw");

        Assert.True(changed.IsSuccessStatusCode);
        Assert.NotEqual(200, withinTheBound.StatusCode);
        Assert.Equal(200, afterTheBound.StatusCode);

        async Task<Sip.Messages.SipMessage> RegisterThroughSecondAsync(string password)
        {
            using var phone = new UdpSipClient(cluster.Second.UdpEndPoint, ClusterNodes.PhoneAddress);
            return await new RegisteringPhone(phone, "carol", password).RegisterAsync(Headers);
        }
    }

    /// <summary>Rows whatever their expiry (reads hide expired ones; only a reaper deletes them).</summary>
    private static async Task<long> BindingRowsAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM bindings;", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
