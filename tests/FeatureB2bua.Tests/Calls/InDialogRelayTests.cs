using System.Text;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Tests.Calls;

/// <summary>
/// Requests inside an answered call, on the wire: each one is rebuilt on the other leg's dialog (its own Call-ID,
/// tags and CSeq), answers come back the same way, and each leg is ACKed on its own.
/// </summary>
public sealed class InDialogRelayTests
{
    private const string HoldSdp = "v=0\r\no=alice 1 2 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=sendonly\r\n";
    private const string ResumeSdp = "v=0\r\no=alice 1 3 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=sendrecv\r\n";
    private const string HeldAnswerSdp = "v=0\r\no=bob 2 3 IN IP4 203.0.113.9\r\ns=-\r\nc=IN IP4 203.0.113.9\r\nt=0 0\r\nm=audio 50000 RTP/AVP 0\r\na=recvonly\r\n";
    private const string CalleeOfferSdp = "v=0\r\no=bob 2 4 IN IP4 203.0.113.9\r\ns=-\r\nc=IN IP4 203.0.113.9\r\nt=0 0\r\nm=audio 50002 RTP/AVP 0 8\r\n";

    [Fact]
    public async Task ReInvite_FromCaller_IsRelayedWithItsSdpAndEachLegIsAckedOnItsOwn()
    {
        await using var h = await CallHarness.StartAsync();
        var (bInvite, answer, bAck) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        h.Caller.Send(h.CallerRequest("INVITE", answer, "z9hG4bKhold", HoldSdp));
        var bReInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bReInvite, 200, "OK", body: HeldAnswerSdp);
        var bReAck = await CallHarness.NextRequestAsync(h.Callee, "ACK");
        var held = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");

        // The callee sees our dialog, its next CSeq, the caller's SDP and none of the caller's addresses.
        Assert.Equal(bAck.CallId, bReInvite.CallId);
        Assert.Equal(bInvite.From!.Tag, bReInvite.From!.Tag);
        Assert.Equal("b9", bReInvite.To!.Tag);
        Assert.Equal(2u, bReInvite.CSeq!.Number);
        Assert.Equal($"sip:bob@{h.Callee.LocalEndPoint}", bReInvite.RequestUri!.Raw);
        CallHarness.AssertAnchored(HoldSdp, bReInvite);
        Assert.DoesNotContain(h.Caller.LocalEndPoint.ToString(), Encoding.UTF8.GetString(bReInvite.Raw.Span), StringComparison.Ordinal);
        Assert.Equal(2u, bReAck.CSeq!.Number);

        // The caller's answer is the callee's, in the caller's own dialog.
        CallHarness.AssertAnchored(HeldAnswerSdp, held);
        Assert.Equal(answer.To!.Tag, held.To!.Tag);
        Assert.Equal("Held", await h.ActiveCallStateAsync());

        h.Caller.Send(h.CallerRequest("ACK", held, "z9hG4bKholdack", cseq: held.CSeq!.Number));
        h.Caller.Send(h.CallerRequest("INVITE", answer, "z9hG4bKresume", ResumeSdp));
        var bResume = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bResume, 200, "OK", body: CallHarness.AnswerSdp);
        var resumed = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        h.Caller.Send(h.CallerRequest("ACK", resumed, "z9hG4bKresumeack", cseq: resumed.CSeq!.Number));
        Assert.Equal("Connected", await h.ActiveCallStateAsync());

        await HangUpFromCallerAsync(h, answer);
    }

    [Fact]
    public async Task ReInvite_FromCallee_IsRelayedToTheCaller()
    {
        await using var h = await CallHarness.StartAsync();
        var (bInvite, answer, bAck) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        h.Callee.Send(h.CalleeRequest("INVITE", bInvite, bAck, cseq: 1, body: CalleeOfferSdp));
        var aReInvite = await CallHarness.NextRequestAsync(h.Caller, "INVITE");
        CallHarness.Responds(h.Caller, aReInvite, 200, "OK", toTag: "ignored", body: CallHarness.Sdp, user: "alice");
        var calleeOk = await CallHarness.NextResponseAsync(h.Callee, 200, "INVITE");
        var aReAck = await CallHarness.NextRequestAsync(h.Caller, "ACK");
        h.Callee.Send(h.CalleeRequest("ACK", bInvite, bAck, cseq: 1));

        Assert.Equal(h.CallId, aReInvite.CallId);
        Assert.Equal("a1", aReInvite.To!.Tag);
        Assert.Equal(answer.To!.Tag, aReInvite.From!.Tag);
        CallHarness.AssertAnchored(CalleeOfferSdp, aReInvite);
        CallHarness.AssertAnchored(CallHarness.Sdp, calleeOk);
        Assert.Equal(aReInvite.CSeq!.Number, aReAck.CSeq!.Number);

        // The caller's dialog keeps the route the caller's proxy asked for (§12.1.1, seed 003).
        Assert.Equal("<sip:secret-proxy.a-side.test;lr>", aReInvite.GetHeader(HeaderId.Route));
        await HangUpFromCallerAsync(h, answer);
    }

    [Fact]
    public async Task ReInvite_WhileAnotherIsPending_Gets491AndA491FromTheFarSideIsRelayed()
    {
        await using var h = await CallHarness.StartAsync();
        var (bInvite, answer, bAck) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        h.Caller.Send(h.CallerRequest("INVITE", answer, "z9hG4bKfirst", HoldSdp));
        var bReInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");

        // §14.2: the callee's own offer while the caller's is unanswered is glare.
        h.Callee.Send(h.CalleeRequest("INVITE", bInvite, bAck, cseq: 1, body: CalleeOfferSdp));
        var glare = await CallHarness.NextResponseAsync(h.Callee, 491, "INVITE");
        Assert.Equal("Request Pending", glare.ReasonPhrase);

        // The callee had sent its own re-INVITE, so it answers ours 491 too; the caller hears it.
        h.CalleeResponds(bReInvite, 491, "Request Pending");
        Assert.Equal(491, (await CallHarness.NextResponseAsync(h.Caller, 491, "INVITE")).StatusCode);

        // After the glare the caller's retry goes through (§14.1).
        h.Caller.Send(h.CallerRequest("INVITE", answer, "z9hG4bKretry", HoldSdp));
        var retry = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(retry, 200, "OK", body: HeldAnswerSdp);
        var ok = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        h.Caller.Send(h.CallerRequest("ACK", ok, "z9hG4bKretryack", cseq: ok.CSeq!.Number));
        await HangUpFromCallerAsync(h, answer);
    }

    [Fact]
    public async Task ReInvite_WithUnparseableSdp_Gets488AndTheCallGoesOn()
    {
        await using var h = await CallHarness.StartAsync();
        var (_, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        h.Caller.Send(h.CallerRequest("INVITE", answer, "z9hG4bKbad", "v=0\r\nthis is not sdp\r\n"));

        var refused = await CallHarness.NextResponseAsync(h.Caller, 488, "INVITE");
        Assert.StartsWith("399 ", refused.GetHeader(HeaderId.Warning), StringComparison.Ordinal);
        Assert.Null(await h.Callee.ReceiveAsync(300));
        Assert.Equal("Connected", await h.ActiveCallStateAsync());
        await HangUpFromCallerAsync(h, answer);
    }

    [Fact]
    public async Task ReInvite_WithASessionIntervalBelowOurMinimum_Gets422WithMinSe()
    {
        await using var h = await CallHarness.StartAsync();
        var (_, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        h.Caller.Send(h.CallerRequest("INVITE", answer, "z9hG4bKshort", ResumeSdp, "Supported: timer\nSession-Expires: 30\n"));

        // RFC 4028 §9 holds for a refresh as for the first INVITE; the callee never hears of it.
        var refused = await CallHarness.NextResponseAsync(h.Caller, 422, "INVITE");
        Assert.Equal("90", refused.GetHeader(HeaderId.MinSE));
        Assert.Null(await h.Callee.ReceiveAsync(300));
        await HangUpFromCallerAsync(h, answer);
    }

    [Fact]
    public async Task Update_Info_AndOptions_AreRelayedWithTheirBodiesAndAnswers()
    {
        await using var h = await CallHarness.StartAsync();
        var (bInvite, answer, bAck) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        h.Caller.Send(h.CallerRequest("UPDATE", answer, "z9hG4bKupdate", HoldSdp));
        var bUpdate = await CallHarness.NextRequestAsync(h.Callee, "UPDATE");
        h.CalleeResponds(bUpdate, 200, "OK", body: HeldAnswerSdp);
        var updated = await CallHarness.NextResponseAsync(h.Caller, 200, "UPDATE");
        CallHarness.AssertAnchored(HoldSdp, bUpdate);
        CallHarness.AssertAnchored(HeldAnswerSdp, updated);

        // RFC 6086: the INFO body is the far end's business; it travels with its type and package.
        const string Dtmf = "Signal=5\r\nDuration=160\r\n";
        h.Callee.Send(h.CalleeRequest("INFO", bInvite, bAck, cseq: 1, body: Dtmf, contentType: "application/dtmf-relay"));
        var aInfo = await CallHarness.NextRequestAsync(h.Caller, "INFO");
        CallHarness.Responds(h.Caller, aInfo, 200, "OK", toTag: "ignored", user: "alice");
        Assert.Equal(200, (await CallHarness.NextResponseAsync(h.Callee, 200, "INFO")).StatusCode);
        Assert.Equal(Dtmf, Encoding.ASCII.GetString(aInfo.Body));
        Assert.Equal("application/dtmf-relay", aInfo.GetHeader(HeaderId.ContentType));
        Assert.Equal(h.CallId, aInfo.CallId);

        h.Caller.Send(h.CallerRequest("OPTIONS", answer, "z9hG4bKoptions"));
        var bOptions = await CallHarness.NextRequestAsync(h.Callee, "OPTIONS");
        h.CalleeResponds(bOptions, 405, "Method Not Allowed");
        Assert.Equal(405, (await CallHarness.NextResponseAsync(h.Caller, 405, "OPTIONS")).StatusCode);
        Assert.Equal(bAck.CallId, bOptions.CallId);
        await HangUpFromCallerAsync(h, answer);
    }

    [Fact]
    public async Task Bye_FromCalleeCrossingTheCallersReInvite_ReInviteGets487AndBothLegsEnd()
    {
        await using var h = await CallHarness.StartAsync();
        var (bInvite, answer, bAck) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        h.Caller.Send(h.CallerRequest("INVITE", answer, "z9hG4bKreinvite", HoldSdp));
        var bReInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");

        h.Callee.Send(h.CalleeRequest("BYE", bInvite, bAck, cseq: 1));
        await CallHarness.NextResponseAsync(h.Callee, 200, "BYE");

        // RFC 3261 §15.1.2: the pending re-INVITE gets 487, then the caller's leg gets its BYE.
        Assert.Equal(487, (await CallHarness.NextResponseAsync(h.Caller, 487, "INVITE")).StatusCode);
        var aBye = await CallHarness.NextRequestAsync(h.Caller, "BYE");
        CallHarness.Responds(h.Caller, aBye, 200, "OK", toTag: "ignored", user: "alice");

        // The callee still answers the re-INVITE it held; the B2BUA ACKs that final response.
        h.CalleeResponds(bReInvite, 487, "Request Terminated");
        Assert.Equal(bReInvite.CSeq!.Number, (await CallHarness.NextRequestAsync(h.Callee, "ACK")).CSeq!.Number);
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task LateOffer_TheCallersAckCarriesTheAnswerToTheCallee()
    {
        await using var h = await CallHarness.StartAsync();
        h.Caller.Send(h.Invite(body: null));
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        Assert.True(bInvite.Body.IsEmpty);

        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp);
        var offer = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        CallHarness.AssertAnchored(CallHarness.AnswerSdp, offer);

        // RFC 3264 §4: the callee's ACK waits for the caller's answer, then carries it; the callee's 2xx
        // retransmissions meanwhile are neither ACKed empty nor taken for a second answer.
        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp);
        Assert.Null(await h.Callee.ReceiveAsync(300));
        h.Caller.Send(h.CallerRequest("ACK", offer, "z9hG4bKack", CallHarness.Sdp));
        var bAck = await CallHarness.NextRequestAsync(h.Callee, "ACK");
        CallHarness.AssertAnchored(CallHarness.Sdp, bAck);
        Assert.Equal("application/sdp", bAck.GetHeader(HeaderId.ContentType));

        // A 2xx that comes again after that is ACKed again, with the same ACK (§13.2.2.4).
        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp);
        Assert.Equal(bAck.ToString(), (await CallHarness.NextRequestAsync(h.Callee, "ACK")).ToString());
        await HangUpFromCallerAsync(h, offer);
    }

    [Fact]
    public async Task Answer_CopiesTheCallersRecordRoute_AndRequestsToTheCallerFollowIt()
    {
        await using var h = await CallHarness.StartAsync();
        var (bInvite, answer, bAck) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        h.Callee.Send(h.CalleeRequest("BYE", bInvite, bAck));
        var aBye = await CallHarness.NextRequestAsync(h.Caller, "BYE");
        CallHarness.Responds(h.Caller, aBye, 200, "OK", toTag: "ignored", user: "alice");

        // §12.1.1: the 200 echoes Record-Route; §12.2.1.1: the BYE carries the route set, loose routing keeps the target.
        Assert.Equal("<sip:secret-proxy.a-side.test;lr>", answer.GetHeader(HeaderId.RecordRoute));
        Assert.Equal("<sip:secret-proxy.a-side.test;lr>", aBye.GetHeader(HeaderId.Route));
        Assert.Equal($"sip:alice@{h.Caller.LocalEndPoint}", aBye.RequestUri!.Raw);
        Assert.False(bInvite.HasHeader(HeaderId.RecordRoute));
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task CalleeBehindARecordRoutingProxy_OurRequestsOnItsLegCarryTheRouteSet()
    {
        await using var h = await CallHarness.StartAsync();
        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        var proxy = $"<sip:{h.Callee.LocalEndPoint};lr>";
        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp, headers: w => w.WriteHeader(HeaderId.RecordRoute, proxy));
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        var bAck = await CallHarness.NextRequestAsync(h.Callee, "ACK");
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.CalleeResponds(bBye, 200, "OK");

        // §12.1.2: the route set comes from the 2xx's Record-Route; loose routing keeps the callee's Contact as
        // the Request-URI (§12.2.1.1). The proxy stays on the B side: the caller never sees it.
        Assert.Equal(proxy, bAck.GetHeader(HeaderId.Route));
        Assert.Equal(proxy, bBye.GetHeader(HeaderId.Route));
        Assert.Equal($"sip:bob@{h.Callee.LocalEndPoint}", bBye.RequestUri!.Raw);
        Assert.Equal("<sip:secret-proxy.a-side.test;lr>", answer.GetHeader(HeaderId.RecordRoute));
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task InDialogRequests_ForNoDialog_Get481_OutOfOrder_Gets500_AndAStrayAckIsDropped()
    {
        await using var h = await CallHarness.StartAsync();
        var (_, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKwrongtag").Replace($"tag={answer.To!.Tag}", "tag=nosuchtag", StringComparison.Ordinal));
        Assert.Equal(481, (await CallHarness.NextResponseAsync(h.Caller, 481, "BYE")).StatusCode);

        h.Caller.Send(h.CallerRequest("INFO", answer, "z9hG4bKold", cseq: 0));
        Assert.Equal(500, (await CallHarness.NextResponseAsync(h.Caller, 500, "INFO")).StatusCode);

        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKstray").Replace(h.CallId, "no-such-call", StringComparison.Ordinal));
        Assert.Null(await h.Caller.ReceiveAsync(300));
        Assert.Equal("Connected", await h.ActiveCallStateAsync());
        await HangUpFromCallerAsync(h, answer);
    }

    [Fact]
    public async Task Cancel_OfARelayedReInvite_GoesOnAfterTheProvisional_AndTheCallStays()
    {
        await using var h = await CallHarness.StartAsync();
        var (_, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        h.Caller.Send(h.CallerRequest("INVITE", answer, "z9hG4bKslow", HoldSdp));
        var bReInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");

        var cancel = h.CallerRequest("CANCEL", answer, "z9hG4bKslow", cseq: 2);
        h.Caller.Send(cancel);
        await CallHarness.NextResponseAsync(h.Caller, 200, "CANCEL");

        // §9.1 on the callee's leg too: no CANCEL before its provisional response (re-INVITE retransmissions may come).
        var early = await h.Callee.ReceiveAsync(300);
        Assert.True(early is null || early.MethodName == "INVITE");
        h.CalleeResponds(bReInvite, 180, "Ringing");
        var bCancel = await CallHarness.NextRequestAsync(h.Callee, "CANCEL");
        Assert.Equal(bReInvite.TopVia!.Branch, bCancel.TopVia!.Branch);
        h.CalleeResponds(bCancel, 200, "OK");
        h.CalleeResponds(bReInvite, 487, "Request Terminated");

        Assert.Equal(487, (await CallHarness.NextResponseAsync(h.Caller, 487, "INVITE")).StatusCode);
        Assert.Equal("Connected", await h.ActiveCallStateAsync());
        await HangUpFromCallerAsync(h, answer);
    }

    private static async Task HangUpFromCallerAsync(CallHarness h, SipMessage answer)
    {
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye" + Guid.NewGuid().ToString("N")));
        await CallHarness.NextResponseAsync(h.Caller, 200, "BYE");
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.CalleeResponds(bBye, 200, "OK");
        await h.AssertEndedAsync("answered");
    }
}
