using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Calls;

/// <summary>Calls through the running B2BUA on the wire: two dialogs, nothing of one side's topology on the other.</summary>
public sealed class BasicCallTests
{
    [Fact]
    public async Task BasicCall_CallerHangsUp_BothLegsEndAndCdrIsWritten()
    {
        await using var h = await CallHarness.StartAsync();
        h.Caller.Send(h.Invite());
        Assert.Equal(100, (await h.Caller.ReceiveAsync())!.StatusCode);

        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 180, "Ringing");
        var ringing = await CallHarness.NextResponseAsync(h.Caller, 180);
        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp);
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200);
        var bAck = await CallHarness.NextRequestAsync(h.Callee, "ACK");
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        var byeOk = await CallHarness.NextResponseAsync(h.Caller, 200, "BYE");
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.CalleeResponds(bBye, 200, "OK");

        // Topology hiding: the B-leg is our own dialog.
        Assert.NotEqual(h.CallId, bInvite.CallId);
        Assert.Single(bInvite.Vias!);
        Assert.DoesNotContain(h.Caller.LocalEndPoint.ToString(), Encoding.UTF8.GetString(bInvite.Raw.Span), StringComparison.Ordinal);
        Assert.False(bInvite.HasHeader(HeaderId.RecordRoute));
        Assert.Equal("sip:alice@example.test", bInvite.From!.Uri.Raw);
        Assert.NotEqual("a1", bInvite.From.Tag);
        Assert.Equal(69, bInvite.MaxForwards);
        CallHarness.AssertAnchored(CallHarness.Sdp, bInvite);

        // The caller sees its own dialog only.
        Assert.Equal(h.CallId, ringing.CallId);
        Assert.Equal(ringing.To!.Tag, answer.To!.Tag);
        Assert.DoesNotContain(h.Callee.LocalEndPoint.ToString(), Encoding.UTF8.GetString(answer.Raw.Span), StringComparison.Ordinal);
        CallHarness.AssertAnchored(CallHarness.AnswerSdp, answer);

        Assert.Equal($"sip:bob@{h.Callee.LocalEndPoint}", bAck.RequestUri!.Raw);
        Assert.Equal(bInvite.CallId, bBye.CallId);
        Assert.Equal("BYE", byeOk.CSeq!.MethodName);
        var cdr = await h.AssertEndedAsync("answered");
        Assert.Equal("sip:alice@example.test", cdr.GetProperty("caller").GetString());
        Assert.Equal("sip:bob@example.test", cdr.GetProperty("dialled").GetString());
        Assert.Equal(bAck.RequestUri!.Raw, cdr.GetProperty("finalTarget").GetString());
        Assert.Equal(200, cdr.GetProperty("finalStatus").GetInt32());
        Assert.True(cdr.GetProperty("answeredAt").GetDateTimeOffset() <= cdr.GetProperty("endedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task BasicCall_CalleeHangsUp_CallerGetsBye()
    {
        await using var h = await CallHarness.StartAsync();
        var (bInvite, answer, bAck) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        h.Callee.Send(h.CalleeRequest("BYE", bInvite, bAck));
        Assert.Equal(200, (await CallHarness.NextResponseAsync(h.Callee, 200, "BYE")).StatusCode);
        var aBye = await CallHarness.NextRequestAsync(h.Caller, "BYE");
        h.Caller.Send(ResponseBuilder.Create(aBye, 200, "OK").Raw.ToArray());

        Assert.Equal(h.CallId, aBye.CallId);
        Assert.Equal("a1", aBye.To!.Tag);
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task ByeBeforeAck_FromCaller_BothLegsEndAndThe2xxStopsRepeating()
    {
        await using var h = await CallHarness.StartAsync();
        var (_, answer, _) = await h.AnswerAsync();

        // The caller's BYE overtakes its ACK (a race seen behind multi-process proxies).
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKearlybye"));
        await CallHarness.NextResponseAsync(h.Caller, 200, "BYE");
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.CalleeResponds(bBye, 200, "OK");
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKlateack"));

        await h.AssertEndedAsync("answered");
        var late = await h.Caller.ReceiveAsync(700);
        Assert.True(late is null || late.CSeq!.Method != SipMethod.Invite, "the 2xx must not be resent after the BYE");
    }

    [Theory]
    [InlineData(486, "Busy Here", "busy")]
    [InlineData(404, "Not Found", "failed")]
    [InlineData(603, "Decline", "failed")]
    public async Task Failure_FromCallee_RelayedToCaller(int status, string reason, string result)
    {
        await using var h = await CallHarness.StartAsync();
        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");

        h.CalleeResponds(bInvite, status, reason);

        Assert.Equal(status, (await CallHarness.NextResponseAsync(h.Caller, status)).StatusCode);
        Assert.Equal(bInvite.CallId, (await CallHarness.NextRequestAsync(h.Callee, "ACK")).CallId);
        await h.AssertEndedAsync(result);
    }

    [Fact]
    public async Task Cancel_AfterRinging_CallerGets487AndCalleeIsCancelled()
    {
        await using var h = await CallHarness.StartAsync();
        var (bInvite, bCancel) = await RingThenCancelAsync(h);
        h.CalleeResponds(bCancel, 200, "OK");
        h.CalleeResponds(bInvite, 487, "Request Terminated");

        Assert.Equal(bInvite.TopVia!.Branch, bCancel.TopVia!.Branch);
        Assert.Equal(bInvite.CallId, (await CallHarness.NextRequestAsync(h.Callee, "ACK")).CallId);
        await h.AssertEndedAsync("cancelled");
    }

    [Fact]
    public async Task Cancel_BeforeAnyProvisional_WaitsForOneThenCancels()
    {
        await using var h = await CallHarness.StartAsync();
        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");

        h.Caller.Send(h.CallerCancel());
        Assert.Equal(487, (await CallHarness.NextResponseAsync(h.Caller, 487)).StatusCode);

        // RFC 3261 §9.1: no CANCEL before the callee has sent a provisional response (INVITE retransmissions may come).
        var early = await h.Callee.ReceiveAsync(400);
        Assert.True(early is null || early.MethodName == "INVITE");
        h.CalleeResponds(bInvite, 180, "Ringing");
        var bCancel = await CallHarness.NextRequestAsync(h.Callee, "CANCEL");
        h.CalleeResponds(bCancel, 200, "OK");
        h.CalleeResponds(bInvite, 487, "Request Terminated");
        await h.AssertEndedAsync("cancelled");
    }

    [Fact]
    public async Task Cancel_CrossingTheCalleesOk_CalleeIsAckedAndHungUp()
    {
        await using var h = await CallHarness.StartAsync();
        var (bInvite, _) = await RingThenCancelAsync(h);
        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp);

        // The 200 crossed the CANCEL: ACK it, then BYE; the caller keeps its 487 and never sees a 200.
        Assert.Equal(bInvite.CallId, (await CallHarness.NextRequestAsync(h.Callee, "ACK")).CallId);
        var bye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.CalleeResponds(bye, 200, "OK");
        await h.AssertEndedAsync("cancelled");
    }

    [Fact]
    public async Task Bye_FromBothSidesAtOnce_EachIsAnswered_AndTheCallEndsOnce()
    {
        await using var h = await CallHarness.StartAsync();
        var (bInvite, answer, bAck) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbyea"));
        h.Callee.Send(h.CalleeRequest("BYE", bInvite, bAck));

        // §15.1.2: each BYE gets 200; ours to the callee crosses the callee's own and is answered too.
        Assert.Equal(200, (await CallHarness.NextResponseAsync(h.Caller, 200, "BYE")).StatusCode);
        Assert.Equal(200, (await CallHarness.NextResponseAsync(h.Callee, 200, "BYE")).StatusCode);
        var ours = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.CalleeResponds(ours, 200, "OK");
        await h.AssertEndedAsync("answered");
        var late = await h.Caller.ReceiveAsync(300);
        Assert.True(late is null || late.IsResponse, "the caller, who hung up first, gets no BYE");
    }

    [Fact]
    public async Task Cancel_CalleeAnswersAFailureInstead_ItIsAckedAndTheCallerKeepsIts487()
    {
        await using var h = await CallHarness.StartAsync();
        var (bInvite, bCancel) = await RingThenCancelAsync(h);
        h.CalleeResponds(bCancel, 200, "OK");
        h.CalleeResponds(bInvite, 486, "Busy Here");

        // §17.1.1.3: the failure is ACKed on the callee's leg; the caller hears nothing more.
        Assert.Equal(bInvite.CallId, (await CallHarness.NextRequestAsync(h.Callee, "ACK")).CallId);
        var more = await h.Caller.ReceiveAsync(300);
        Assert.True(more is null || more.StatusCode == 487, "only the 487 (perhaps resent) reaches the caller");
        await h.AssertEndedAsync("cancelled");
    }

    [Fact]
    public async Task Metrics_CountEachEndedCallByResult_TheSetupTimeAndTheCallsUp()
    {
        await using var h = await CallHarness.StartAsync();
        using var metrics = new MeterRecorder(h.Server.Services.GetRequiredService<CallMetrics>().Meter);
        var (_, answer, _) = await h.AnswerAsync();
        using (var during = new MeterRecorder(h.Server.Services.GetRequiredService<CallMetrics>().Meter))
        {
            during.Observe();
            Assert.Equal(1, during.Total("b2bua_calls_active"));
        }

        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        await h.AssertEndedAsync("answered");

        metrics.Observe();
        Assert.Equal(1, metrics.Total("b2bua_calls|result=answered|answered=true"));
        Assert.Equal(1, metrics.Total("b2bua_call_setup_seconds#count"));
        Assert.Equal(0, metrics.Total("b2bua_calls_active"));
    }

    [Fact]
    public async Task Route_NoneMatches_Gets404()
    {
        await using var h = await CallHarness.StartAsync();

        h.Caller.Send(h.Invite().Replace("sip:bob@example.test SIP/2.0", "sip:nobody@elsewhere.test SIP/2.0", StringComparison.Ordinal));

        Assert.Equal(404, (await CallHarness.NextResponseAsync(h.Caller, 404)).StatusCode);
    }

    /// <summary>The callee rings, the caller cancels: the caller has 200 for its CANCEL and 487, the callee its CANCEL (§9.1).</summary>
    private static async Task<(SipMessage BInvite, SipMessage BCancel)> RingThenCancelAsync(CallHarness h)
    {
        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 180, "Ringing");
        await CallHarness.NextResponseAsync(h.Caller, 180);
        h.Caller.Send(h.CallerCancel());
        await CallHarness.NextResponseAsync(h.Caller, 200, "CANCEL");
        Assert.Equal(487, (await CallHarness.NextResponseAsync(h.Caller, 487)).StatusCode);
        return (bInvite, await CallHarness.NextRequestAsync(h.Callee, "CANCEL"));
    }
}
