using System.Net;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Features;

/// <summary>
/// The interaction rules of docs/features.md, each by a test that fails without it: forwarding loops and chains stop
/// at the hop limit, busy-when-in-call takes the busy course, and a cancelled call is never forwarded.
/// </summary>
public sealed class FeatureInteractionTests
{
    [Fact]
    public async Task ForwardLoop_BackToATargetAlreadyTried_Gets482AndNobodyIsRungTwice()
    {
        await using var f = await FeatureHarness.StartAsync(new()
        {
            ["bob"] = new { forwardUnconditional = "carol" },
            ["carol"] = new { forwardUnconditional = "bob" },
        });
        var h = f.Call;

        h.Caller.Send(h.Invite());

        var final = await h.Caller.ReceiveFinalAsync(3000);
        Assert.Equal(482, final.StatusCode);
        Assert.Equal("Loop Detected", final.ReasonPhrase);
        Assert.Null(await h.Callee.ReceiveAsync(200));
        Assert.Null(await f.Carol.ReceiveAsync(10));
        var cdr = await h.AssertEndedAsync("forward-loop");
        Assert.Equal(["forward-unconditional", "forward-unconditional"], FeatureHarness.FeaturesOf(cdr));
    }

    [Fact]
    public async Task ForwardChain_LongerThanTheHopLimit_Gets480()
    {
        await using var f = await FeatureHarness.StartAsync(
            new()
            {
                ["bob"] = new { forwardUnconditional = "dave" },
                ["dave"] = new { forwardUnconditional = "erin" },
                ["erin"] = new { forwardUnconditional = "carol" },
            },
            null,
            "--Features:MaxForwardHops=2");
        var h = f.Call;

        h.Caller.Send(h.Invite());

        Assert.Equal(480, (await h.Caller.ReceiveFinalAsync(3000)).StatusCode);
        Assert.Null(await f.Carol.ReceiveAsync(200));
        await h.AssertEndedAsync("forward-limit");
    }

    [Fact]
    public async Task ForwardChain_WithinTheHopLimit_ReachesTheLastTarget_HistoryInfoListsEveryHop()
    {
        await using var f = await FeatureHarness.StartAsync(new()
        {
            ["bob"] = new { forwardUnconditional = "dave" },
            ["dave"] = new { forwardUnconditional = "carol" },
        });
        var h = f.Call;

        h.Caller.Send(h.Invite());

        var carolInvite = await CallHarness.NextRequestAsync(f.Carol, "INVITE");
        Assert.Equal(
            "<sip:bob@example.test?Reason=SIP%3Bcause%3D302>;index=1,<sip:dave@example.test?Reason=SIP%3Bcause%3D302>;index=1.1;mp=1,<sip:carol@example.test>;index=1.1.1;mp=1.1",
            carolInvite.GetHeader("History-Info"));
        Assert.Equal(
            "<sip:dave@example.test>;reason=unconditional;counter=1, <sip:bob@example.test>;reason=unconditional;counter=1",
            carolInvite.GetHeader("Diversion"));
        var answer = await f.CarolAnswersAsync(carolInvite);
        await f.CallerHangsUpOnCarolAsync(answer);
        await h.AssertEndedAsync("answered");
    }

    /// <summary>A forward target outside our subscribers takes a static route, with its failover: the first upstream's 503 moves the call to the second.</summary>
    [Fact]
    public async Task ForwardToAnExternalTarget_GoesThroughRouting_AndItsFailover()
    {
        using var second = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        await using var f = await FeatureHarness.StartAsync(
            new() { ["bob"] = new { forwardUnconditional = "sip:0301234@example.test" } },
            null,
            "--Routing:Routes:2:Pattern=^0\\d+$",
            "--Routing:Routes:2:Targets:0=sip:127.0.0.1:{carol}",
            $"--Routing:Routes:2:Targets:1=sip:127.0.0.1:{second.LocalEndPoint.Port}");
        second.Server = f.Call.Server.UdpEndPoint;
        var h = f.Call;

        h.Caller.Send(h.Invite());

        var first = await CallHarness.NextRequestAsync(f.Carol, "INVITE");
        Assert.StartsWith("sip:0301234@127.0.0.1:", first.RequestUri!.Raw, StringComparison.Ordinal);
        CallHarness.Responds(f.Carol, first, 503, "Service Unavailable", toTag: "c1", user: "carol");
        var failedOver = await CallHarness.NextRequestAsync(second, "INVITE");
        Assert.Equal($"sip:0301234@127.0.0.1:{second.LocalEndPoint.Port}", failedOver.RequestUri!.Raw);
        Assert.Equal("<sip:bob@example.test>;reason=unconditional;counter=1", failedOver.GetHeader("Diversion"));
        CallHarness.Responds(second, failedOver, 486, "Busy Here", toTag: "s1", user: "pstn");
        Assert.Equal(486, (await h.Caller.ReceiveFinalAsync(3000)).StatusCode);
        Assert.Equal(["forward-unconditional"], FeatureHarness.FeaturesOf(await h.AssertEndedAsync("busy")));
    }

    /// <summary>Another server forwarded the call to us already: its Diversion counters count towards our limit.</summary>
    [Fact]
    public async Task ForwardHops_CarriedInTheIncomingDiversion_CountTowardsTheLimit()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardUnconditional = "carol" } }, null, "--Features:MaxForwardHops=3");
        var h = f.Call;

        h.Caller.Send(h.Invite(extraHeaders: "Diversion: <sip:zed@elsewhere.test>;reason=unconditional;counter=3\n"));

        Assert.Equal(480, (await h.Caller.ReceiveFinalAsync(3000)).StatusCode);
        Assert.Null(await f.Carol.ReceiveAsync(200));
        await h.AssertEndedAsync("forward-limit");
    }

    [Fact]
    public async Task BusyWhenInCall_ASecondCallIsNotRung_AndTakesTheBusyCourse()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { busyWhenInCall = true, forwardBusy = "carol" } });
        var h = f.Call;
        var (_, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        using var second = new UdpSipClient(h.Server.UdpEndPoint);
        var secondCallId = "second-" + Guid.NewGuid().ToString("N");
        second.Send(h.Invite(branch: "z9hG4bKsecond").Replace(h.CallId, secondCallId, StringComparison.Ordinal).Replace(h.Caller.LocalEndPoint.ToString(), second.LocalEndPoint.ToString(), StringComparison.Ordinal));

        // Bob's phone sees nothing of the second call; it goes to carol as a busy forward.
        var carolInvite = await CallHarness.NextRequestAsync(f.Carol, "INVITE");
        Assert.Equal("<sip:bob@example.test>;reason=user-busy;counter=1", carolInvite.GetHeader("Diversion"));
        Assert.Null(await h.Callee.ReceiveAsync(200));
        CallHarness.Responds(f.Carol, carolInvite, 486, "Busy Here", toTag: "c1", user: "carol");
        Assert.Equal(486, (await second.ReceiveFinalAsync(3000)).StatusCode);

        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
    }

    /// <summary>A call forwarded away from a subscriber no longer makes them busy: a second call rings their phone.</summary>
    [Fact]
    public async Task BusyWhenInCall_ACallForwardedAwayOnNoAnswer_NoLongerMakesTheSubscriberBusy()
    {
        var clock = new ManualTimeProvider();
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { busyWhenInCall = true, forwardNoAnswer = "carol", noAnswerTimeoutSeconds = 5 } }, clock);
        var h = f.Call;
        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 180, "Ringing");
        await CallHarness.NextResponseAsync(h.Caller, 180);
        await h.SettleAsync();
        clock.Advance(TimeSpan.FromSeconds(5));
        var cancel = await CallHarness.NextRequestAsync(h.Callee, "CANCEL");
        h.CalleeResponds(cancel, 200, "OK");
        h.CalleeResponds(bInvite, 487, "Request Terminated");
        await f.CarolAnswersAsync(await CallHarness.NextRequestAsync(f.Carol, "INVITE"));

        using var second = new UdpSipClient(h.Server.UdpEndPoint);
        second.Send(h.Invite(branch: "z9hG4bKsecond").Replace(h.CallId, "second-" + Guid.NewGuid().ToString("N"), StringComparison.Ordinal).Replace(h.Caller.LocalEndPoint.ToString(), second.LocalEndPoint.ToString(), StringComparison.Ordinal));

        var rung = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        Assert.NotEqual(bInvite.CallId, rung.CallId);
        Assert.Null(rung.GetHeader("Diversion"));
    }

    [Fact]
    public async Task CancelDuringTheNoAnswerTimer_CancelsTheCallee_StopsTheTimer_AndNobodyElseIsRung()
    {
        var clock = new ManualTimeProvider();
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardNoAnswer = "carol", noAnswerTimeoutSeconds = 6 } }, clock);
        var h = f.Call;

        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 180, "Ringing");
        await CallHarness.NextResponseAsync(h.Caller, 180);
        h.Caller.Send(h.CallerCancel().Replace("Content-Length: 0", "Reason: SIP;cause=200;text=\"Call completed elsewhere\"\nContent-Length: 0", StringComparison.Ordinal));

        await CallHarness.NextResponseAsync(h.Caller, 487);
        var cancel = await CallHarness.NextRequestAsync(h.Callee, "CANCEL");
        Assert.Equal("SIP;cause=200;text=\"Call completed elsewhere\"", cancel.GetHeader("Reason"));
        h.CalleeResponds(cancel, 200, "OK");
        h.CalleeResponds(bInvite, 487, "Request Terminated");
        await CallHarness.NextRequestAsync(h.Callee, "ACK");
        await h.SettleAsync();
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(await f.Carol.ReceiveAsync(300));
        Assert.Equal(["cancel"], FeatureHarness.FeaturesOf(await h.AssertEndedAsync("cancelled")));
    }

    [Fact]
    public async Task CancelWhileForwarding_AfterAForwardOnBusy_CancelsTheNewBranch_AndTheCdrShowsBoth()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardBusy = "carol" } });
        var h = f.Call;

        h.Caller.Send(h.Invite());
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "INVITE"), 486, "Busy Here");
        var carolInvite = await CallHarness.NextRequestAsync(f.Carol, "INVITE");
        CallHarness.Responds(f.Carol, carolInvite, 180, "Ringing", toTag: "c1", user: "carol");
        await CallHarness.NextResponseAsync(h.Caller, 180);
        h.Caller.Send(h.CallerCancel());

        await CallHarness.NextResponseAsync(h.Caller, 487);
        var cancel = await CallHarness.NextRequestAsync(f.Carol, "CANCEL");
        Assert.Equal("SIP;cause=487;text=\"Caller cancelled\"", cancel.GetHeader("Reason"));
        CallHarness.Responds(f.Carol, cancel, 200, "OK", toTag: "c1", user: "carol");
        CallHarness.Responds(f.Carol, carolInvite, 487, "Request Terminated", toTag: "c1", user: "carol");
        await CallHarness.NextRequestAsync(f.Carol, "ACK");
        Assert.Equal(["forward-busy", "cancel"], FeatureHarness.FeaturesOf(await h.AssertEndedAsync("cancelled")));
    }
}
