using System.Net;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Features;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Calls;

/// <summary>
/// The feature chain's decision points on the wire, with small features of the test's own: a refusal before
/// routing, a retarget when every branch failed (the Forwarding state), and a cancelled call never forwarded.
/// </summary>
public sealed class CallFeatureHookTests
{
    [Fact]
    public async Task OnIncoming_Reject_TheCallerIsAnsweredAndNobodyRings()
    {
        var feature = new ScriptedFeature("screen") { Incoming = _ => FeatureDecision.Reject(403, "Forbidden") };
        await using var h = await CallHarness.StartAsync(s => s.AddSingleton<ICallFeature>(feature), "--Features:Enabled:0=screen");
        using var metrics = new MeterRecorder(h.Server.Services.GetRequiredService<CallMetrics>().Meter);

        h.Caller.Send(h.Invite());

        Assert.Equal(403, (await h.Caller.ReceiveFinalAsync(3000)).StatusCode);
        Assert.Null(await h.Callee.ReceiveAsync(300));
        var cdr = await h.AssertEndedAsync("failed");
        Assert.Equal(["screen"], cdr.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(1, metrics.Total("b2bua_features_applied|feature=screen"));
    }

    [Fact]
    public async Task OnBranchFailed_Retarget_ANewBLegRingsForTheSameCaller()
    {
        using var carol = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        var feature = new ScriptedFeature("reroute")
        {
            BranchFailed = status => status == 486 ? FeatureDecision.Retarget(SipUri.Parse("sip:carol@example.test"), ForwardReason.UserBusy) : FeatureDecision.Continue,
        };
        await using var h = await CallHarness.StartAsync(
            s => s.AddSingleton<ICallFeature>(feature),
            "--Features:Enabled:0=reroute",
            "--Routing:Routes:1:Pattern=^carol$",
            $"--Routing:Routes:1:Targets:0=sip:127.0.0.1:{carol.LocalEndPoint.Port}");
        carol.Server = h.Server.UdpEndPoint;

        h.Caller.Send(h.Invite());
        var first = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(first, 486, "Busy Here");
        var forwarded = await CallHarness.NextRequestAsync(carol, "INVITE");
        CallHarness.Responds(carol, forwarded, 200, "OK", toTag: "c1", body: CallHarness.AnswerSdp, user: "carol");
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");

        // A new B-leg of its own; the caller's dialog and identity are what they were.
        Assert.NotEqual(first.CallId, forwarded.CallId);
        Assert.Equal($"sip:carol@127.0.0.1:{carol.LocalEndPoint.Port}", forwarded.RequestUri!.Raw);
        Assert.Equal(first.From!.Uri.Raw, forwarded.From!.Uri.Raw);
        Assert.Equal(h.CallId, answer.CallId);
        Assert.Equal([486], feature.FailedStatuses);
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        CallHarness.Responds(carol, await CallHarness.NextRequestAsync(carol, "BYE"), 200, "OK", toTag: "c1", user: "carol");
        var cdr = await h.AssertEndedAsync("answered");
        Assert.Equal(["reroute"], cdr.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task OnBranchFailed_CallerCancelsWhileTheFeatureDecides_TheCallIsNeverForwarded()
    {
        var decide = new TaskCompletionSource<FeatureDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        var feature = new ScriptedFeature("slow") { BranchFailedAsync = _ => decide.Task };
        await using var h = await CallHarness.StartAsync(s => s.AddSingleton<ICallFeature>(feature), "--Features:Enabled:0=slow");

        h.Caller.Send(h.Invite());
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "INVITE"), 486, "Busy Here");
        await CallHarness.NextRequestAsync(h.Callee, "ACK");
        await feature.Asked.Task.WaitAsync(TimeSpan.FromSeconds(3));
        h.Caller.Send(h.CallerCancel());
        await CallHarness.NextResponseAsync(h.Caller, 487);
        decide.SetResult(FeatureDecision.Retarget(SipUri.Parse("sip:bob@example.test"), ForwardReason.UserBusy));

        var late = await h.Callee.ReceiveAsync(500);
        Assert.True(late is null || late.MethodName == "ACK", "no new INVITE after the CANCEL");
        // Only the cancel module (enabled after the test's own by appsettings.json) applied: nothing was forwarded.
        var cdr = await h.AssertEndedAsync("cancelled");
        Assert.Equal(["cancel"], cdr.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void Chain_AnUnknownFeatureName_IsAClearStartupError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new CallFeatureChain(new FeatureOptions { Enabled = ["nosuch"] }, []));
        Assert.Contains("nosuch", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A feature whose answers the test writes.</summary>
    private sealed class ScriptedFeature(string name) : ICallFeature
    {
        public string Name => name;

        public Func<FeatureContext, FeatureDecision> Incoming { get; init; } = _ => FeatureDecision.Continue;

        public Func<int, FeatureDecision> BranchFailed { get; init; } = _ => FeatureDecision.Continue;

        public Func<int, Task<FeatureDecision>>? BranchFailedAsync { get; init; }

        public List<int> FailedStatuses { get; } = [];

        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<FeatureDecision> OnIncomingAsync(FeatureContext call, CancellationToken cancellationToken) => ValueTask.FromResult(Incoming(call));

        public async ValueTask<FeatureDecision> OnBranchFailedAsync(FeatureContext call, int status, CancellationToken cancellationToken)
        {
            FailedStatuses.Add(status);
            Asked.TrySetResult();
            return BranchFailedAsync is null ? BranchFailed(status) : await BranchFailedAsync(status);
        }
    }
}
