using System.Net.Http.Json;
using System.Text.Json;
using FeatureB2bua.Core.Routing;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Routing;

/// <summary>
/// The running server probes its upstreams with OPTIONS on the real clock (a 200 ms interval, and T1 of 50 ms so
/// Timer F is 3.2 s) and routes calls around an upstream the probes found down.
/// </summary>
public sealed class UpstreamProbeWireTests
{
    private static readonly string[] FastProbes = ["--Routing:Probe:Interval=00:00:00.2", "--Routing:Probe:FailuresToDown=1", "--Sip:Timers:T1=00:00:00.05"];

    [Fact]
    public async Task AnsweringUpstream_IsProbedEveryInterval_AndA404KeepsItUp()
    {
        await using var upstream = new FakeUpstream(404, "Not Found");
        await using var server = await ServerFixture.StartAsync([.. Route(upstream), .. FastProbes]);

        await Task.Delay(1100);

        Assert.InRange(upstream.Probes.Count, 3, 7);
        var probe = upstream.Probes.First();
        Assert.Equal(upstream.Uri, probe.RequestUri!.Raw);
        Assert.Equal(70, probe.MaxForwards);
        Assert.Equal(server.UdpEndPoint.ToString(), probe.TopVia!.SentBy);
        Assert.Equal(SipMethod.Options, probe.CSeq!.Method);
        var status = Health(server).Snapshot().Single();
        Assert.Equal(UpstreamProbeState.Up, status.Probe);
        Assert.Equal(404, status.LastProbeStatus);
    }

    [Fact]
    public async Task SilentUpstream_IsMarkedDown_AndTheAdminApiSaysSo()
    {
        await using var upstream = new FakeUpstream(probeStatus: null);
        await using var server = await ServerFixture.StartAsync([.. Route(upstream), .. FastProbes]);

        await WaitForAsync(server, upstream.Uri, UpstreamProbeState.Down);

        // Only one probe is out at a time while Timer F runs, however short the interval.
        Assert.InRange(upstream.Probes.Count, 1, 2);
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var listed = Assert.Single(await http.GetFromJsonAsync<JsonElement[]>("/api/upstreams") ?? []);
        Assert.Equal(upstream.Uri, listed.GetProperty("upstream").GetString());
        Assert.False(listed.GetProperty("usable").GetBoolean());
        Assert.Equal("down", listed.GetProperty("probe").GetString());
        Assert.Equal("closed", listed.GetProperty("breaker").GetString());
        Assert.Equal("timeout", listed.GetProperty("lastProbeResult").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("lastProbeStatus").ValueKind);
        Assert.Equal(JsonValueKind.String, listed.GetProperty("lastProbeAt").ValueKind);
    }

    [Fact]
    public async Task Call_ToARouteWhoseFirstUpstreamIsDown_GoesStraightToTheSecond()
    {
        await using var first = new FakeUpstream(probeStatus: null);
        await using var second = new FakeUpstream(200);
        await using var server = await ServerFixture.StartAsync(
        [
            "--Routing:Trusted:0=127.0.0.0/8",
            "--Routing:Routes:0:Pattern=^bob$",
            $"--Routing:Routes:0:Targets:0={first.Uri}",
            $"--Routing:Routes:0:Targets:1={second.Uri}",
            .. FastProbes,
        ]);
        await WaitForAsync(server, first.Uri, UpstreamProbeState.Down);
        await WaitForAsync(server, second.Uri, UpstreamProbeState.Up);
        using var caller = new UdpSipClient(server.UdpEndPoint);

        caller.Send(SipText.Request("INVITE", via: caller.LocalEndPoint.ToString(), callId: "failover@test"));
        var invite = await second.NextRequestAsync();
        second.Respond(invite, 486, "Busy Here");

        Assert.Equal("INVITE", invite.MethodName);
        Assert.Equal($"sip:bob@{second.Uri["sip:".Length..]}", invite.RequestUri!.Raw);
        Assert.Equal(486, (await CallHarness.NextResponseAsync(caller, 486)).StatusCode);
        Assert.False(first.TryReadRequest(out var stray), $"the down upstream got {stray?.MethodName}");
    }

    private static string[] Route(FakeUpstream upstream) => ["--Routing:Routes:0:Pattern=^9", $"--Routing:Routes:0:Targets:0={upstream.Uri}"];

    private static UpstreamHealth Health(ServerFixture server) => server.Services.GetRequiredService<UpstreamHealth>();

    private static async Task WaitForAsync(ServerFixture server, string upstream, UpstreamProbeState state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Health(server).Snapshot().Single(s => s.Upstream == upstream).Probe != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{upstream} did not become {state}");
            await Task.Delay(50);
        }
    }
}
