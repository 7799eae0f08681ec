using System.Text;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Calls;

/// <summary>
/// What keeps an answered call honest, on the wire, with the server on a manual clock: RFC 4028 session timers on
/// each leg, the maximum duration, a dead leg, our 2xx resent until its ACK (RFC 3261 §13.3.1.4) and an INVITE
/// nobody answers (Timer B). The clock only moves when a test advances it; the receive timeouts wait for the
/// datagrams an advance caused.
/// </summary>
public sealed class CallLivenessTests
{
    /// <summary>The caller asks for a 120 s session and refreshes it itself (RFC 4028 §7.1).</summary>
    private const string CallerRefreshes = "Supported: timer\nSession-Expires: 120;refresher=uac\n";

    private const int Quiet = 250;

    private static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan T2 = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task SessionTimer_WeRefreshTheCallee_ByUpdateWithoutBody_AndItsAnswerRearms()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock);
        var (bInvite, answer, _) = await ConnectAsync(h, CallerRefreshes, CalleeGrants("120;refresher=uac", "INVITE, ACK, CANCEL, BYE, UPDATE"));

        // §7.1: we ask the callee for the caller's interval and let it choose the refresher.
        Assert.Equal("120", bInvite.GetHeader(HeaderId.SessionExpires));
        Assert.Contains("timer", bInvite.GetValues(HeaderId.Supported));
        Assert.Equal("90", bInvite.GetHeader(HeaderId.MinSE));

        // §9: the caller refreshes its leg, so our 2xx requires timer.
        Assert.Equal("120;refresher=uac", answer.GetHeader(HeaderId.SessionExpires));
        Assert.Contains("timer", answer.GetValues(HeaderId.Require));

        // §10: the refresher refreshes at half the interval; §7.4: UPDATE without a body where the peer allows it.
        for (var round = 0; round < 2; round++)
        {
            clock.Advance(TimeSpan.FromSeconds(59));
            Assert.Null(await h.Callee.ReceiveAsync(Quiet));
            clock.Advance(TimeSpan.FromSeconds(1));
            var update = await CallHarness.NextRequestAsync(h.Callee, "UPDATE");
            Assert.True(update.Body.IsEmpty);
            Assert.Equal("120;refresher=uac", update.GetHeader(HeaderId.SessionExpires));
            Assert.Equal(bInvite.CallId, update.CallId);

            // RFC 3311 §5.2: UPDATE is a target refresh, so the Contact of its 2xx is where the next one goes.
            Assert.Equal($"sip:{(round == 0 ? "bob" : "bob-moved")}@{h.Callee.LocalEndPoint}", update.RequestUri!.Raw);
            h.CalleeResponds(update, 200, "OK", headers: CalleeGrants("120;refresher=uac", "INVITE, ACK, CANCEL, BYE, UPDATE"), contactUser: "bob-moved");

            // The caller keeps its own leg alive meanwhile; that refresh stays on its leg.
            h.Caller.Send(h.CallerRequest("UPDATE", answer, "z9hG4bKcallerupd" + round, extraHeaders: "Session-Expires: 120;refresher=uac\n"));
            await CallHarness.NextResponseAsync(h.Caller, 200, "UPDATE");
            await h.SettleAsync();
        }

        await CallerHangsUpAsync(h, answer);
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task SessionTimer_CalleeWithoutUpdate_IsRefreshedByReInviteWithTheSameSdp()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock);
        var (bInvite, answer, _) = await ConnectAsync(h, CallerRefreshes, CalleeGrants("120;refresher=uac", "INVITE, ACK, CANCEL, BYE"));

        clock.Advance(TimeSpan.FromSeconds(60));
        var reInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");

        // §7.4 and RFC 3264 §8: the description the callee already has, same o= line, so nothing changes.
        Assert.Equal(bInvite.CallId, reInvite.CallId);
        Assert.NotNull(reInvite.To!.Tag);
        Assert.Equal(Encoding.ASCII.GetString(bInvite.Body), Encoding.ASCII.GetString(reInvite.Body));
        Assert.Equal("120;refresher=uac", reInvite.GetHeader(HeaderId.SessionExpires));
        h.CalleeResponds(reInvite, 200, "OK", body: CallHarness.AnswerSdp, headers: CalleeGrants("120;refresher=uac", "INVITE, ACK, CANCEL, BYE"), contactUser: "bob-moved");

        // RFC 3261 §12.2.1.2: the 2xx of a re-INVITE refreshes the remote target, for its ACK and what follows.
        var ack = await CallHarness.NextRequestAsync(h.Callee, "ACK");
        Assert.Equal(reInvite.CSeq!.Number, ack.CSeq!.Number);
        Assert.Equal($"sip:bob-moved@{h.Callee.LocalEndPoint}", ack.RequestUri!.Raw);
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        Assert.Equal($"sip:bob-moved@{h.Callee.LocalEndPoint}", bBye.RequestUri!.Raw);
        h.CalleeResponds(bBye, 200, "OK");
        await CallHarness.NextResponseAsync(h.Caller, 200, "BYE");
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task SessionTimer_CalleeAnswersOurRefreshWithoutSessionExpires_NoMoreRefreshes()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock);
        var (_, answer, _) = await ConnectAsync(h, CallerRefreshes, CalleeGrants("120;refresher=uac", "INVITE, ACK, CANCEL, BYE, UPDATE"));

        clock.Advance(TimeSpan.FromSeconds(60));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "UPDATE"), 200, "OK");
        h.Caller.Send(h.CallerRequest("UPDATE", answer, "z9hG4bKcallerupd", extraHeaders: "Session-Expires: 120;refresher=uac\n"));
        await CallHarness.NextResponseAsync(h.Caller, 200, "UPDATE");
        await h.SettleAsync();

        // RFC 4028 §7.2: a 2xx without Session-Expires turns the session timer of that leg off, even mid-dialog.
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Null(await h.Callee.ReceiveAsync(Quiet));

        await CallerHangsUpAsync(h, answer);
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task SessionTimer_CallerRefresherGoesQuiet_BothLegsGetByeAtIntervalMinus32s()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock);
        await ConnectAsync(h, CallerRefreshes);

        // §10: the side that does not refresh gives up at the interval minus min(32 s, interval/3).
        clock.Advance(TimeSpan.FromSeconds(87));
        Assert.Null(await h.Caller.ReceiveAsync(Quiet));
        clock.Advance(TimeSpan.FromSeconds(1));
        await BothLegsGetByeAsync(h);
        await h.AssertEndedAsync("session-expired");
    }

    [Fact]
    public async Task SessionTimer_CallerRefreshes_AnsweredByUsNotRelayed_AndTheDeadlineMoves()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock);
        var (_, answer, _) = await ConnectAsync(h, CallerRefreshes);

        // RFC 3264 §8: the same o= line means no change, so the re-INVITE is a refresh only and stays on this leg.
        clock.Advance(TimeSpan.FromSeconds(60));
        h.Caller.Send(h.CallerRequest("INVITE", answer, "z9hG4bKrefresh1", body: CallHarness.Sdp, extraHeaders: CallerRefreshes));
        var reInviteOk = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        Assert.Equal("120;refresher=uac", reInviteOk.GetHeader(HeaderId.SessionExpires));
        CallHarness.AssertAnchored(CallHarness.AnswerSdp, reInviteOk);
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKrefresh1ack", cseq: reInviteOk.CSeq!.Number));
        Assert.Null(await h.Callee.ReceiveAsync(Quiet));
        await h.SettleAsync();

        // The deadline is now 88 s after that refresh: an UPDATE without a body just before it moves it again.
        clock.Advance(TimeSpan.FromSeconds(87));
        Assert.Null(await h.Caller.ReceiveAsync(Quiet));
        h.Caller.Send(h.CallerRequest("UPDATE", answer, "z9hG4bKrefresh2", extraHeaders: CallerRefreshes));
        var updateOk = await CallHarness.NextResponseAsync(h.Caller, 200, "UPDATE");
        Assert.Equal("120;refresher=uac", updateOk.GetHeader(HeaderId.SessionExpires));
        Assert.Contains("timer", updateOk.GetValues(HeaderId.Require));
        Assert.Null(await h.Callee.ReceiveAsync(Quiet));
        await h.SettleAsync();

        clock.Advance(TimeSpan.FromSeconds(87));
        Assert.Null(await h.Caller.ReceiveAsync(Quiet));
        clock.Advance(TimeSpan.FromSeconds(1));
        await BothLegsGetByeAsync(h);
        await h.AssertEndedAsync("session-expired");
    }

    [Fact]
    public async Task SessionTimer_CallerWithoutTimerSupport_WeRefreshItAtHalfTheDefaultInterval()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock, "--Calls:SessionExpiresSeconds=1800");
        var (bInvite, answer, _) = await ConnectAsync(h, callerHeaders: string.Empty);

        // §9: a caller that does not support timers cannot refresh; we do, and so require nothing of it.
        Assert.Equal("1800", bInvite.GetHeader(HeaderId.SessionExpires));
        Assert.Equal("1800;refresher=uas", answer.GetHeader(HeaderId.SessionExpires));
        Assert.False(answer.HasHeader(HeaderId.Require));

        clock.Advance(TimeSpan.FromSeconds(899));
        Assert.Null(await h.Caller.ReceiveAsync(Quiet));
        clock.Advance(TimeSpan.FromSeconds(1));

        // Its INVITE listed no UPDATE, so the refresh is a re-INVITE with the description it already has.
        var refresh = await CallHarness.NextRequestAsync(h.Caller, "INVITE");
        Assert.Equal(h.CallId, refresh.CallId);
        CallHarness.AssertAnchored(CallHarness.AnswerSdp, refresh);
        Assert.Equal("1800;refresher=uac", refresh.GetHeader(HeaderId.SessionExpires));
        h.CallerResponds(refresh, 200, "OK", body: CallHarness.Sdp);
        Assert.Equal(refresh.CSeq!.Number, (await CallHarness.NextRequestAsync(h.Caller, "ACK")).CSeq!.Number);
        Assert.Null(await h.Callee.ReceiveAsync(Quiet));

        await CallerHangsUpAsync(h, answer);
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task SessionTimer_CallerMinSeAboveOurDefault_IsHonoured()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock, "--Calls:SessionExpiresSeconds=1800");
        var (bInvite, answer, _) = await ConnectAsync(h, callerHeaders: "Min-SE: 3600\n");

        // §9: the interval we choose is never below the Min-SE of the request.
        Assert.Equal("3600;refresher=uas", answer.GetHeader(HeaderId.SessionExpires));
        Assert.Equal("3600", bInvite.GetHeader(HeaderId.SessionExpires));

        await CallerHangsUpAsync(h, answer);
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task SessionTimer_IntervalBelowMinimum_Gets422WithMinSe_AndNoBLeg()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock);

        h.Caller.Send(h.Invite(extraHeaders: "Supported: timer\nSession-Expires: 60\n"));

        // §9: too small an interval is refused with our minimum.
        var refusal = await CallHarness.NextResponseAsync(h.Caller, 422);
        Assert.Equal("90", refusal.GetHeader(HeaderId.MinSE));
        Assert.Null(await h.Callee.ReceiveAsync(Quiet));
        var cdr = await h.AssertEndedAsync("failed");
        Assert.Equal(422, cdr.GetProperty("finalStatus").GetInt32());
    }

    [Fact]
    public async Task DeadLeg_CalleeAnswersOurRefreshWith481_CallEnds()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock);
        await ConnectAsync(h, CallerRefreshes, CalleeGrants("120;refresher=uac", "INVITE, ACK, CANCEL, BYE, UPDATE"));

        clock.Advance(TimeSpan.FromSeconds(60));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "UPDATE"), 481, "Call/Transaction Does Not Exist");

        // RFC 4028 §7.4: a refresh answered 481 (or 408) ends the session with BYE, the other leg too.
        await BothLegsGetByeAsync(h, calleeStatus: 481);
        await h.AssertEndedAsync("dead-leg");
    }

    [Fact]
    public async Task DeadLeg_CalleeNeverAnswersOurRefresh_TimerFEndsTheCall()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock);
        await ConnectAsync(h, CallerRefreshes, CalleeGrants("120;refresher=uac", "INVITE, ACK, CANCEL, BYE, UPDATE"));

        clock.Advance(TimeSpan.FromSeconds(60));
        await CallHarness.NextRequestAsync(h.Callee, "UPDATE");

        // RFC 3261 §17.1.2.2: Timer F at 64*T1 is a 408 to us.
        clock.Advance((T1 * 64) - TimeSpan.FromMilliseconds(1));
        Assert.Null(await h.Caller.ReceiveAsync(Quiet));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var aBye = await CallHarness.NextRequestAsync(h.Caller, "BYE");
        h.CallerResponds(aBye, 200, "OK");
        await CallHarness.NextRequestAsync(h.Callee, "BYE");

        // The dead callee does not answer its BYE either; the call is over when that one times out too.
        clock.Advance(T1 * 64);
        await h.AssertEndedAsync("dead-leg");
    }

    [Fact]
    public async Task MaxDuration_Reached_BothLegsGetBye()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock, "--Calls:MaxDurationSeconds=300");
        await ConnectAsync(h, callerHeaders: string.Empty);

        clock.Advance(TimeSpan.FromSeconds(299));
        Assert.Null(await h.Caller.ReceiveAsync(Quiet));
        Assert.Null(await h.Callee.ReceiveAsync(Quiet));
        clock.Advance(TimeSpan.FromSeconds(1));
        await BothLegsGetByeAsync(h);
        await h.AssertEndedAsync("max-duration");
    }

    [Fact]
    public async Task NoAck_OurOkIsResentAtT1DoublingToT2_AndAfter64T1BothLegsGetBye()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock);
        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp);
        var first = await CallHarness.NextResponseAsync(h.Caller, 200);
        await CallHarness.NextRequestAsync(h.Callee, "ACK");
        await h.SettleAsync();

        // RFC 3261 §13.3.1.4: T1, 2T1, 4T1 ... capped at T2, for 64*T1 in all.
        var sent = TimeSpan.Zero;
        for (var interval = T1; sent + interval < T1 * 64; interval = interval * 2 < T2 ? interval * 2 : T2)
        {
            clock.Advance(interval - TimeSpan.FromMilliseconds(1));
            Assert.Null(await h.Caller.ReceiveAsync(Quiet));
            clock.Advance(TimeSpan.FromMilliseconds(1));
            var again = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
            Assert.Equal(first.Raw.ToArray(), again.Raw.ToArray());
            sent += interval;
        }

        // §13.3.1.4: no ACK after 64*T1, so the session ends; the 2xx is not sent again.
        clock.Advance((T1 * 64) - sent - TimeSpan.FromMilliseconds(1));
        Assert.Null(await h.Caller.ReceiveAsync(Quiet));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await BothLegsGetByeAsync(h);
        await h.AssertEndedAsync("no-ack");
    }

    [Fact]
    public async Task TimerB_UpstreamNeverAnswers_CallerGets503()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock);

        // Every upstream unreachable (here the only one) is a 503 to the caller, not one upstream's 408.
        var failure = await InviteNobodyAnswersAsync(h, clock);

        Assert.Equal(503, failure.StatusCode);
        var cdr = await h.AssertEndedAsync("failed");
        Assert.Equal(503, cdr.GetProperty("finalStatus").GetInt32());
    }

    [Fact]
    public async Task TimerB_RegisteredContactNeverAnswers_CallerGets408()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock);
        var port = h.Callee.LocalEndPoint.Port;
        await h.Server.Services.GetRequiredService<ILocationStore>().ApplyAsync(
            "bob@example.test",
            [],
            [new Binding("bob@example.test", $"sip:bob@127.0.0.1:{port}", 1000, clock.Now.AddHours(1), "reg-1", 1, $"udp:127.0.0.1:{port}", clock.Now)]);

        // RFC 3261 §16.7: a registered contact's own 408 (Timer B, §8.1.3.1) is the best response there is.
        var failure = await InviteNobodyAnswersAsync(h, clock);

        Assert.Equal(408, failure.StatusCode);
        var cdr = await h.AssertEndedAsync("failed");
        Assert.Equal(408, cdr.GetProperty("finalStatus").GetInt32());
        Assert.Equal($"sip:bob@127.0.0.1:{port}", cdr.GetProperty("finalTarget").GetString());
    }

    /// <summary>The caller's INVITE reaches the callee, which stays silent: Timer B fires at 64*T1 (RFC 3261 §17.1.1.2).</summary>
    internal static async Task<SipMessage> InviteNobodyAnswersAsync(CallHarness h, ManualTimeProvider clock)
    {
        h.Caller.Send(h.Invite());
        Assert.Equal(100, (await h.Caller.ReceiveAsync())!.StatusCode);
        await CallHarness.NextRequestAsync(h.Callee, "INVITE");

        // The transaction arms Timer B just after sending, after routing on a thread of its own: wait for it.
        var timerB = clock.Now + (T1 * 64);
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (!clock.HasTimerDueAt(timerB) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(clock.HasTimerDueAt(timerB), "Timer B was never armed.");
        clock.Advance((T1 * 64) - TimeSpan.FromMilliseconds(1));
        Assert.Null(await h.Caller.ReceiveAsync(Quiet));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        return await h.Caller.ReceiveFinalAsync();
    }

    /// <summary>Headers of a callee that grants <paramref name="sessionExpires"/> (RFC 4028 §9) and allows <paramref name="allow"/>.</summary>
    private static Action<SipMessageWriter> CalleeGrants(string sessionExpires, string allow) => w =>
    {
        w.WriteHeader(HeaderId.SessionExpires, sessionExpires);
        w.WriteHeader(HeaderId.Require, "timer");
        w.WriteHeader(HeaderId.Allow, allow);
    };

    /// <summary>An answered call whose caller has ACKed, and the server has seen that ACK.</summary>
    private static async Task<(SipMessage BInvite, SipMessage Answer, SipMessage BAck)> ConnectAsync(
        CallHarness h, string callerHeaders, Action<SipMessageWriter>? calleeHeaders = null)
    {
        h.Caller.Send(h.Invite(extraHeaders: callerHeaders));
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp, headers: calleeHeaders);
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200);
        var bAck = await CallHarness.NextRequestAsync(h.Callee, "ACK");
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        await h.SettleAsync();
        return (bInvite, answer, bAck);
    }

    private static async Task CallerHangsUpAsync(CallHarness h, SipMessage answer)
    {
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        await CallHarness.NextResponseAsync(h.Caller, 200, "BYE");
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
    }

    /// <summary>The B2BUA ends the call itself: a BYE on each leg, answered.</summary>
    private static async Task BothLegsGetByeAsync(CallHarness h, int calleeStatus = 200)
    {
        var aBye = await CallHarness.NextRequestAsync(h.Caller, "BYE");
        h.CallerResponds(aBye, 200, "OK");
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.CalleeResponds(bBye, calleeStatus, calleeStatus == 200 ? "OK" : "Call/Transaction Does Not Exist");
        Assert.Equal(h.CallId, aBye.CallId);
    }
}
