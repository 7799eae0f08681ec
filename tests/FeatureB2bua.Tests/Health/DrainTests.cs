using System.Net;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FeatureB2bua.Tests.Health;

/// <summary>
/// The drain started by <c>POST /api/drain</c>, on the wire: new calls and probes get 503 with Retry-After, REGISTER
/// and the calls in progress are served, and at <c>Drain:TimeoutSeconds</c> on the server's manual clock the server
/// ends what is left itself, with BYE or CANCEL and a CDR.
/// </summary>
public sealed class DrainTests
{
    private const int Quiet = 250;

    [Fact]
    public async Task AdminDrain_RefusesNewCallsAndProbes_ServesRegisterAndTheCallInProgress_ThenStops()
    {
        await using var h = await CallHarness.StartAsync(new ManualTimeProvider(), "--Drain:RetryAfterSeconds=17");
        var (bInvite, answer) = await ConnectAsync(h);

        Assert.Equal(1, await HealthHttp.DrainAsync(h.Server.Http));

        var (status, checks) = await HealthHttp.ReadyAsync(h.Server.Http);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("draining: fail (draining, 1 calls left)", checks["draining"]);
        Assert.StartsWith("sip: ok", checks["sip"], StringComparison.Ordinal);

        // RFC 3261 §21.5.4: a new call, and a front proxy's OPTIONS probe, hear 503 with when to come back.
        using var other = new UdpSipClient(h.Server.UdpEndPoint);
        foreach (var method in new[] { "INVITE", "OPTIONS" })
        {
            other.Send(SipText.Request(method, branch: "z9hG4bKdrain" + method, callId: "during-drain-" + method, via: other.LocalEndPoint.ToString(), extraHeaders: $"Contact: <sip:carol@{other.LocalEndPoint}>\n"));
            var refused = await other.ReceiveFinalAsync();
            Assert.Equal(503, refused.StatusCode);
            Assert.Equal(method, refused.CSeq!.MethodName);
            Assert.Equal("17", refused.GetHeader(HeaderId.RetryAfter));
        }

        var registered = await new RegisteringPhone(other, "carol", "carol-demo-pw").RegisterAsync($"Contact: <sip:carol@{other.LocalEndPoint}>\nExpires: 600\n");
        Assert.Equal(200, registered.StatusCode);

        // The call in progress goes on: the caller's BYE reaches the callee, and the call ends as any other.
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        await CallHarness.NextResponseAsync(h.Caller, 200, "BYE");
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        Assert.Equal(bInvite.CallId, bBye.CallId);
        h.CalleeResponds(bBye, 200, "OK");
        await h.AssertEndedAsync("answered");

        // Drained: the application is told to stop (out of process, that is the exit; see DrainSignalTests).
        var stopping = h.Server.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var stopped = new TaskCompletionSource();
        using (stopping.Register(stopped.SetResult))
        {
            await stopped.Task.WaitAsync(TimeSpan.FromSeconds(3));
        }
    }

    [Fact]
    public async Task AdminDrain_WithoutTheAdminToken_Is401_AndTheNodeStaysReady()
    {
        await using var server = await ServerFixture.StartAsync("--Admin:Token=s3cret-token");

        using var response = await server.Http.PostAsync(new Uri("/api/drain", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var (status, checks) = await HealthHttp.ReadyAsync(server.Http);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("draining: ok (not draining)", checks["draining"]);
    }

    [Fact]
    public async Task DrainTimeout_AnsweredCall_GetsByeOnBothLegs_AndADrainTimeoutCdr()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock, "--Drain:TimeoutSeconds=10");
        var (bInvite, _) = await ConnectAsync(h);
        Assert.Equal(1, await HealthHttp.DrainAsync(h.Server.Http));

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Null(await h.Caller.ReceiveAsync(Quiet));
        Assert.Null(await h.Callee.ReceiveAsync(Quiet));

        clock.Advance(TimeSpan.FromSeconds(1));
        var aBye = await CallHarness.NextRequestAsync(h.Caller, "BYE");
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        Assert.Equal(h.CallId, aBye.CallId);
        Assert.Equal(bInvite.CallId, bBye.CallId);
        h.CallerResponds(aBye, 200, "OK");
        h.CalleeResponds(bBye, 200, "OK");

        var cdr = await h.AssertEndedAsync("drain-timeout");
        Assert.Equal(200, cdr.GetProperty("finalStatus").GetInt32());
    }

    [Fact]
    public async Task DrainTimeout_RingingCall_IsCancelledTowardTheCallee_AndTheCallerGets503()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock, "--Drain:TimeoutSeconds=10");
        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 180, "Ringing");
        await CallHarness.NextResponseAsync(h.Caller, 180);
        Assert.Equal(1, await HealthHttp.DrainAsync(h.Server.Http));

        clock.Advance(TimeSpan.FromSeconds(10));

        // RFC 3261 §9.1: the CANCEL matches the callee's INVITE (Call-ID, CSeq number, branch).
        var cancel = await CallHarness.NextRequestAsync(h.Callee, "CANCEL");
        Assert.Equal(bInvite.CallId, cancel.CallId);
        Assert.Equal(bInvite.CSeq!.Number, cancel.CSeq!.Number);
        Assert.Equal(bInvite.TopVia!.Branch, cancel.TopVia!.Branch);
        h.CalleeResponds(cancel, 200, "OK");
        h.CalleeResponds(bInvite, 487, "Request Terminated");
        var refused = await CallHarness.NextResponseAsync(h.Caller, 503);
        Assert.Equal("INVITE", refused.CSeq!.MethodName);

        var cdr = await h.AssertEndedAsync("drain-timeout");
        Assert.Equal(503, cdr.GetProperty("finalStatus").GetInt32());
    }

    /// <summary>An answered call, ACKed by the caller, and the server has seen the ACK.</summary>
    private static async Task<(SipMessage BInvite, SipMessage Answer)> ConnectAsync(CallHarness h)
    {
        var (bInvite, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        await h.SettleAsync();
        return (bInvite, answer);
    }
}
