using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Tests.Features;

/// <summary>
/// Forwarding unconditional, on busy and on no answer on the wire: who is rung, what the caller hears (181, then the
/// target), what the new B-leg says of the forward (History-Info, Diversion, the caller's identity), and the CDR.
/// </summary>
public sealed class ForwardingTests
{
    private const string CarolUri = "sip:carol@example.test";

    [Fact]
    public async Task Unconditional_TheSubscriberIsNeverRung_TheTargetGetsTheCallWithHistoryInfoAndDiversion()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardUnconditional = "carol" } });
        using var metrics = f.Metrics();
        var h = f.Call;

        h.Caller.Send(h.Invite());

        var forwarded = await CallHarness.NextResponseAsync(h.Caller, 181);
        Assert.Equal("Call Is Being Forwarded", forwarded.ReasonPhrase);
        var carolInvite = await CallHarness.NextRequestAsync(f.Carol, "INVITE");
        Assert.StartsWith("sip:carol@127.0.0.1:", carolInvite.RequestUri!.Raw, StringComparison.Ordinal);
        Assert.Equal("sip:alice@example.test", carolInvite.From!.Uri.Raw);
        Assert.Equal("\"Alice\"", carolInvite.From.DisplayName);
        Assert.Equal("sip:bob@example.test", carolInvite.To!.Uri.Raw);
        Assert.Equal($"<sip:bob@example.test?Reason=SIP%3Bcause%3D302>;index=1,<{CarolUri}>;index=1.1;mp=1", carolInvite.GetHeader("History-Info"));
        Assert.Equal("<sip:bob@example.test>;reason=unconditional;counter=1", carolInvite.GetHeader("Diversion"));
        Assert.Null(await h.Callee.ReceiveAsync(200));

        var answer = await f.CarolAnswersAsync(carolInvite);
        Assert.Equal(forwarded.To!.Tag, answer.To!.Tag);
        await f.CallerHangsUpOnCarolAsync(answer);
        var cdr = await h.AssertEndedAsync("answered");
        Assert.Equal(["forward-unconditional"], FeatureHarness.FeaturesOf(cdr));
        Assert.Equal(1, metrics.Total("b2bua_features_applied|feature=forward-unconditional"));
    }

    [Fact]
    public async Task Unconditional_ByRedirect_TheCallerGets302WithTheTargetAndNobodyRings()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardUnconditional = CarolUri, forwardByRedirect = true } });
        var h = f.Call;

        h.Caller.Send(h.Invite());

        var redirect = await CallHarness.NextResponseAsync(h.Caller, 302);
        Assert.Equal("Moved Temporarily", redirect.ReasonPhrase);
        Assert.Equal(CarolUri, redirect.Contacts![0].Address!.Uri.Raw);
        Assert.Equal("<sip:bob@example.test>;reason=unconditional;counter=1", redirect.GetHeader("Diversion"));
        Assert.Null(await f.Carol.ReceiveAsync(200));
        Assert.Null(await h.Callee.ReceiveAsync(10));
        Assert.Equal(["forward-unconditional"], FeatureHarness.FeaturesOf(await h.AssertEndedAsync("redirected")));
    }

    [Fact]
    public async Task Unconditional_ACallerInRedirectSources_Gets302()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardUnconditional = "carol" } }, null, "--Features:RedirectSources:0=127.0.0.0/8");

        f.Call.Caller.Send(f.Call.Invite());

        Assert.Equal(CarolUri, (await CallHarness.NextResponseAsync(f.Call.Caller, 302)).Contacts![0].Address!.Uri.Raw);
        await f.Call.AssertEndedAsync("redirected");
    }

    [Fact]
    public async Task Unconditional_WinsOverBusyAndNoAnswer()
    {
        var clock = new ManualTimeProvider();
        await using var f = await FeatureHarness.StartAsync(
            new() { ["bob"] = new { forwardUnconditional = "carol", forwardBusy = "dave", forwardNoAnswer = "dave", noAnswerTimeoutSeconds = 5 } }, clock);
        var h = f.Call;

        h.Caller.Send(h.Invite());
        var carolInvite = await CallHarness.NextRequestAsync(f.Carol, "INVITE");
        CallHarness.Responds(f.Carol, carolInvite, 180, "Ringing", toTag: "c1", user: "carol");
        await CallHarness.NextResponseAsync(h.Caller, 180);
        await h.SettleAsync();
        clock.Advance(TimeSpan.FromSeconds(30));

        // Carol is not bob: bob's no-answer setting does not cut her ringing short.
        Assert.Null(await f.Carol.ReceiveAsync(200));
        Assert.Null(await h.Callee.ReceiveAsync(10));
        var answer = await f.CarolAnswersAsync(carolInvite);
        await f.CallerHangsUpOnCarolAsync(answer);
        Assert.Equal(["forward-unconditional"], FeatureHarness.FeaturesOf(await h.AssertEndedAsync("answered")));
    }

    [Theory]
    [InlineData(486, "Busy Here")]
    [InlineData(600, "Busy Everywhere")]
    public async Task Busy_TheCalleesBusyIsAckedAndTheSameCallerHearsTheTarget(int status, string reason)
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardBusy = "carol" } });
        var h = f.Call;

        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, status, reason);
        Assert.Equal(bInvite.CSeq!.Number, (await CallHarness.NextRequestAsync(h.Callee, "ACK")).CSeq!.Number);

        await CallHarness.NextResponseAsync(h.Caller, 181);
        var carolInvite = await CallHarness.NextRequestAsync(f.Carol, "INVITE");
        Assert.Equal("<sip:bob@example.test>;reason=user-busy;counter=1", carolInvite.GetHeader("Diversion"));
        Assert.Contains("cause%3D486", carolInvite.GetHeader("History-Info"), StringComparison.Ordinal);
        Assert.Equal("sip:alice@example.test", carolInvite.From!.Uri.Raw);
        var answer = await f.CarolAnswersAsync(carolInvite);
        await f.CallerHangsUpOnCarolAsync(answer);
        Assert.Equal(["forward-busy"], FeatureHarness.FeaturesOf(await h.AssertEndedAsync("answered")));
    }

    [Fact]
    public async Task Busy_WithoutForwarding_TheCallerGets486()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardNoAnswer = "carol" } });
        var h = f.Call;

        h.Caller.Send(h.Invite());
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "INVITE"), 486, "Busy Here");

        Assert.Equal(486, (await h.Caller.ReceiveFinalAsync(3000)).StatusCode);
        Assert.Null(await f.Carol.ReceiveAsync(200));
        Assert.Empty(FeatureHarness.FeaturesOf(await h.AssertEndedAsync("busy")));
    }

    [Fact]
    public async Task NoAnswer_AfterTheTimeoutTheCalleeIsCancelled_TheCallerHears181AndTheTargetInTheSameEarlyDialog()
    {
        var clock = new ManualTimeProvider();
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardNoAnswer = "carol", noAnswerTimeoutSeconds = 6 } }, clock);
        using var metrics = f.Metrics();
        var h = f.Call;

        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 180, "Ringing");
        var ringing = await CallHarness.NextResponseAsync(h.Caller, 180);
        await h.SettleAsync();

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(await h.Callee.ReceiveAsync(200));
        clock.Advance(TimeSpan.FromSeconds(1));

        var cancel = await CallHarness.NextRequestAsync(h.Callee, "CANCEL");
        Assert.Equal(bInvite.CSeq!.Number, cancel.CSeq!.Number);
        h.CalleeResponds(cancel, 200, "OK");
        h.CalleeResponds(bInvite, 487, "Request Terminated");
        await CallHarness.NextRequestAsync(h.Callee, "ACK");
        var forwarded = await CallHarness.NextResponseAsync(h.Caller, 181);
        Assert.Equal(ringing.To!.Tag, forwarded.To!.Tag);
        var carolInvite = await CallHarness.NextRequestAsync(f.Carol, "INVITE");
        Assert.Equal("<sip:bob@example.test>;reason=no-answer;counter=1", carolInvite.GetHeader("Diversion"));
        Assert.Contains("cause%3D408", carolInvite.GetHeader("History-Info"), StringComparison.Ordinal);

        // The 487 of the abandoned branch reached nobody: the caller's next final response is carol's answer.
        var answer = await f.CarolAnswersAsync(carolInvite);
        Assert.Equal(ringing.To.Tag, answer.To!.Tag);
        await f.CallerHangsUpOnCarolAsync(answer);
        Assert.Equal(["forward-no-answer"], FeatureHarness.FeaturesOf(await h.AssertEndedAsync("answered")));
        Assert.Equal(1, metrics.Total("b2bua_features_applied|feature=forward-no-answer"));
    }

    [Fact]
    public async Task NoAnswer_TheCalleeAnswersBeforeTheTimeout_NothingIsForwarded()
    {
        var clock = new ManualTimeProvider();
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardNoAnswer = "carol", noAnswerTimeoutSeconds = 6 } }, clock);
        var h = f.Call;

        var (_, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        await h.SettleAsync();
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(await f.Carol.ReceiveAsync(300));
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        Assert.Empty(FeatureHarness.FeaturesOf(await h.AssertEndedAsync("answered")));
    }
}
