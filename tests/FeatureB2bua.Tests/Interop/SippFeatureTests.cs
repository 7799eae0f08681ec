using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Interop;

/// <summary>
/// The feature modules on the wire (features/*/README.md, docs/features.md): SIPp callers dial users of our domain
/// (<c>sip:bob@example.test</c>), the subscribers and their settings come from a provisioning file the test writes,
/// and each phone (bob, carol, ...) is a SIPp UAS behind a static route, or a silent socket where a phone must not be
/// rung at all. The scenarios are in <c>features/&lt;name&gt;/scenarios/</c> and check the headers themselves
/// (181, History-Info, Diversion, SDP directions); the test asserts every SIPp side clean, no call left, the silent
/// phones silent, and the CDRs' result, final status and <c>features</c>. A failing test leaves its work directory
/// (SIPp's statistics and error logs) in the temp directory.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SippFeatureTests
{
    private const int Calls = 5;
    private const int Rate = 5;

    /// <summary>Hold time of the hold scenarios (their -d): the held party hears music for about this long.</summary>
    private const int HoldMs = 2000;

    private static readonly string[] AllFeatures = ["star-codes", "forward-unconditional", "busy", "forward-busy", "forward-no-answer", "hold", "cancel"];

    private static readonly TimeSpan UasLimit = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan UacLimit = TimeSpan.FromSeconds(35);

    // ---- busy ----

    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task Busy_CalleeAnswers486_CallerGets486AndNobodyElseIsRung()
    {
        var bob = ServerProcess.FreeUdpPort();
        using var carol = new SilentPhone();
        await using var bench = await Bench.StartAsync(
            [Subscriber("bob"), Subscriber("carol")], [("bob", bob), ("carol", carol.Port)]);

        var (uac, uases) = await bench.RunAsync(("busy", "busy-uac.xml"), "bob", Calls, [("busy", "busy-uas.xml", bob, Calls, [])]);

        await bench.AssertCleanAsync(uac, Calls, uases.Select(u => (u, (long)Calls)));
        Assert.Equal(0, carol.Received);
        await bench.AssertCdrsAsync(Calls, "busy", 486);
    }

    /// <summary>RFC 3261 §16.7: a 600 ends the search and reaches the caller as 600.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task Busy_CalleeAnswers600_CallerGets600()
    {
        var bob = ServerProcess.FreeUdpPort();
        await using var bench = await Bench.StartAsync([Subscriber("bob")], [("bob", bob)]);

        var (uac, uases) = await bench.RunAsync(("busy", "busy-everywhere-uac.xml"), "bob", Calls, [("busy", "busy-everywhere-uas.xml", bob, Calls, [])]);

        await bench.AssertCleanAsync(uac, Calls, uases.Select(u => (u, (long)Calls)));
        await bench.AssertCdrsAsync(Calls, "busy", 600);
    }

    /// <summary>
    /// busyWhenInCall: while bob is in a call, three more callers get 486 and bob's phone (a SIPp UAS for exactly one
    /// call) sees no second INVITE.
    /// </summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task BusyWhenInCall_SecondCallersGet486_PhoneNotRung()
    {
        const int others = 3;
        var bob = ServerProcess.FreeUdpPort();
        await using var bench = await Bench.StartAsync([Subscriber("bob", new { busyWhenInCall = true })], [("bob", bob)]);

        var phone = SippPair.StartUas(Scenario("busy", "in-call-uas.xml"), bob, 1, bench.Work, UasLimit);
        await Task.Delay(300);
        var first = SippPair.RunUacAsync(Scenario("busy", "in-call-uac.xml"), bench.Server.UdpEndPoint, "bob", bench.Server.UdpEndPoint.Port, 1, 1, bench.Work, UacLimit, "-d", "5000");
        await WaitForAsync(() => bench.Registry.Active.Any(c => c.Snapshot().AnsweredAt is not null), TimeSpan.FromSeconds(5));
        var second = await SippPair.RunUacAsync(Scenario("busy", "busy-uac.xml"), bench.Server.UdpEndPoint, "bob", bench.Server.UdpEndPoint.Port, others, others, bench.Work, UacLimit);

        await bench.AssertCleanAsync(second, others, [(await first, 1L), (await phone, 1L)]);
        var cdrs = await bench.CdrsAsync(1 + others);
        Assert.Single(cdrs, c => (c.Result, c.FinalStatus, Join(c.Features)) == ("answered", 200, string.Empty));
        Assert.Equal(others, cdrs.Count(c => (c.Result, c.FinalStatus, Join(c.Features)) == ("busy", 486, "busy")));
    }

    // ---- forward-unconditional ----

    /// <summary>alice is never rung; the caller gets 181 then carol; carol's INVITE keeps From and To and carries History-Info and Diversion (checked in target-uas.xml).</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task ForwardUnconditional_CarolRungWithHistoryInfoAndDiversion_AliceNeverRung()
    {
        using var alice = new SilentPhone();
        var carol = ServerProcess.FreeUdpPort();
        await using var bench = await Bench.StartAsync(
            [Subscriber("alice", new { forwardUnconditional = "carol" }), Subscriber("carol")], [("alice", alice.Port), ("carol", carol)]);

        var (uac, uases) = await bench.RunAsync(("forward-unconditional", "forwarded-uac.xml"), "alice", Calls, [("forward-unconditional", "target-uas.xml", carol, Calls, [])]);

        await bench.AssertCleanAsync(uac, Calls, uases.Select(u => (u, (long)Calls)));
        Assert.Equal(0, alice.Received);
        await bench.AssertCdrsAsync(Calls, "answered", 200, "forward-unconditional");
    }

    /// <summary>Unconditional wins over busy and no answer: alice, who has all three, is never rung and carol gets cause 302.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task ForwardUnconditional_WinsOverBusyAndNoAnswer()
    {
        using var alice = new SilentPhone();
        using var dave = new SilentPhone();
        var carol = ServerProcess.FreeUdpPort();
        await using var bench = await Bench.StartAsync(
            [Subscriber("alice", new { forwardUnconditional = "carol", forwardBusy = "dave", forwardNoAnswer = "dave", noAnswerTimeoutSeconds = 1 }), Subscriber("carol"), Subscriber("dave")],
            [("alice", alice.Port), ("carol", carol), ("dave", dave.Port)]);

        var (uac, uases) = await bench.RunAsync(("forward-unconditional", "forwarded-uac.xml"), "alice", Calls, [("forward-unconditional", "target-uas.xml", carol, Calls, [])]);

        await bench.AssertCleanAsync(uac, Calls, uases.Select(u => (u, (long)Calls)));
        Assert.Equal((0, 0), (alice.Received, dave.Received));
        await bench.AssertCdrsAsync(Calls, "answered", 200, "forward-unconditional");
    }

    /// <summary>forwardByRedirect: 302 with carol in Contact and a Diversion; nobody is rung.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task ForwardUnconditional_ByRedirect_CallerGets302AndNobodyIsRung()
    {
        using var alice = new SilentPhone();
        using var carol = new SilentPhone();
        await using var bench = await Bench.StartAsync(
            [Subscriber("alice", new { forwardUnconditional = "carol", forwardByRedirect = true }), Subscriber("carol")],
            [("alice", alice.Port), ("carol", carol.Port)]);

        var uac = await bench.RunUacAsync(("forward-unconditional", "redirect-uac.xml"), "alice", Calls);

        await bench.AssertCleanAsync(uac, Calls, []);
        Assert.Equal((0, 0), (alice.Received, carol.Received));
        await bench.AssertCdrsAsync(Calls, "redirected", 302, "forward-unconditional");
    }

    /// <summary>A caller in Features:RedirectSources (a PBX that follows redirects) gets 302 even without forwardByRedirect.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task ForwardUnconditional_CallerInRedirectSources_Gets302()
    {
        using var alice = new SilentPhone();
        using var carol = new SilentPhone();
        await using var bench = await Bench.StartAsync(
            [Subscriber("alice", new { forwardUnconditional = "carol" }), Subscriber("carol")],
            [("alice", alice.Port), ("carol", carol.Port)],
            "--Features:RedirectSources:0=127.0.0.0/8");

        var uac = await bench.RunUacAsync(("forward-unconditional", "redirect-uac.xml"), "alice", Calls);

        await bench.AssertCleanAsync(uac, Calls, []);
        Assert.Equal((0, 0), (alice.Received, carol.Received));
        await bench.AssertCdrsAsync(Calls, "redirected", 302, "forward-unconditional");
    }

    /// <summary>alice forwards to carol, carol back to alice: 482 Loop Detected, nobody rung.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task ForwardUnconditional_Loop_Gets482()
    {
        using var alice = new SilentPhone();
        using var carol = new SilentPhone();
        await using var bench = await Bench.StartAsync(
            [Subscriber("alice", new { forwardUnconditional = "carol" }), Subscriber("carol", new { forwardUnconditional = "alice" })],
            [("alice", alice.Port), ("carol", carol.Port)]);

        var uac = await bench.RunUacAsync(("forward-unconditional", "loop-uac.xml"), "alice", Calls);

        await bench.AssertCleanAsync(uac, Calls, []);
        Assert.Equal((0, 0), (alice.Received, carol.Received));
        // docs/features.md rule 5: CDR result forward-loop.
        var cdrs = await bench.CdrsAsync(Calls);
        Assert.All(cdrs, c => Assert.Equal(("forward-loop", 482), (c.Result, c.FinalStatus)));
        Assert.All(cdrs, c => Assert.Contains("forward-unconditional", c.Features ?? []));
    }

    /// <summary>The INVITE arrives with Diversion counter=5; alice's forward would be the sixth hop (MaxForwardHops 5): 480.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task ForwardUnconditional_MoreHopsThanMaxForwardHops_Gets480()
    {
        using var alice = new SilentPhone();
        using var carol = new SilentPhone();
        await using var bench = await Bench.StartAsync(
            [Subscriber("alice", new { forwardUnconditional = "carol" }), Subscriber("carol")],
            [("alice", alice.Port), ("carol", carol.Port)],
            "--Features:MaxForwardHops=5");

        var uac = await bench.RunUacAsync(("forward-unconditional", "hop-limit-uac.xml"), "alice", Calls);

        await bench.AssertCleanAsync(uac, Calls, []);
        Assert.Equal((0, 0), (alice.Received, carol.Received));
        // docs/features.md rule 5: CDR result forward-limit.
        var cdrs = await bench.CdrsAsync(Calls);
        Assert.All(cdrs, c => Assert.Equal(("forward-limit", 480), (c.Result, c.FinalStatus)));
    }

    // ---- forward-busy ----

    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task ForwardBusy_BobAnswers486_CarolRungOnTheSameCallerDialog()
    {
        var bob = ServerProcess.FreeUdpPort();
        var carol = ServerProcess.FreeUdpPort();
        await using var bench = await Bench.StartAsync(
            [Subscriber("bob", new { forwardBusy = "carol" }), Subscriber("carol")], [("bob", bob), ("carol", carol)]);

        var (uac, uases) = await bench.RunAsync(("forward-busy", "forwarded-uac.xml"), "bob", Calls,
            [("forward-busy", "busy-uas.xml", bob, Calls, []), ("forward-busy", "target-uas.xml", carol, Calls, [])]);

        await bench.AssertCleanAsync(uac, Calls, uases.Select(u => (u, (long)Calls)));
        await bench.AssertCdrsAsync(Calls, "answered", 200, "forward-busy");
    }

    /// <summary>busyWhenInCall and forwardBusy together: the busy subscriber is not rung, the call is forwarded on busy.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task ForwardBusy_BusyWhenInCall_ForwardedWithoutRingingBob()
    {
        var bob = ServerProcess.FreeUdpPort();
        var carol = ServerProcess.FreeUdpPort();
        await using var bench = await Bench.StartAsync(
            [Subscriber("bob", new { busyWhenInCall = true, forwardBusy = "carol" }), Subscriber("carol")], [("bob", bob), ("carol", carol)]);

        var phone = SippPair.StartUas(Scenario("busy", "in-call-uas.xml"), bob, 1, bench.Work, UasLimit);
        var target = SippPair.StartUas(Scenario("forward-busy", "target-uas.xml"), carol, 1, bench.Work, UasLimit);
        await Task.Delay(300);
        var first = SippPair.RunUacAsync(Scenario("busy", "in-call-uac.xml"), bench.Server.UdpEndPoint, "bob", bench.Server.UdpEndPoint.Port, 1, 1, bench.Work, UacLimit, "-d", "5000");
        await WaitForAsync(() => bench.Registry.Active.Any(c => c.Snapshot().AnsweredAt is not null), TimeSpan.FromSeconds(5));
        var second = await SippPair.RunUacAsync(Scenario("forward-busy", "forwarded-uac.xml"), bench.Server.UdpEndPoint, "bob", bench.Server.UdpEndPoint.Port, 1, 1, bench.Work, UacLimit);

        await bench.AssertCleanAsync(second, 1, [(await first, 1L), (await phone, 1L), (await target, 1L)]);
        var cdrs = await bench.CdrsAsync(2);
        Assert.Single(cdrs, c => (c.Result, c.FinalStatus, Join(c.Features)) == ("answered", 200, string.Empty));
        Assert.Single(cdrs, c => (c.Result, c.FinalStatus, Join(c.Features)) == ("answered", 200, "busy,forward-busy"));
    }

    // ---- forward-no-answer ----

    /// <summary>bob rings for noAnswerTimeoutSeconds (2), is CANCELled, carol is rung and answers; the caller's dialog stays early throughout under one To tag.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task ForwardNoAnswer_BobCancelledAfterTimeout_CarolAnswersTheCallersDialog()
    {
        var bob = ServerProcess.FreeUdpPort();
        var carol = ServerProcess.FreeUdpPort();
        await using var bench = await Bench.StartAsync(
            [Subscriber("bob", new { forwardNoAnswer = "carol", noAnswerTimeoutSeconds = 2 }), Subscriber("carol")], [("bob", bob), ("carol", carol)]);

        var (uac, uases) = await bench.RunAsync(("forward-no-answer", "no-answer-uac.xml"), "bob", Calls,
            [("forward-no-answer", "ringing-uas.xml", bob, Calls, []), ("forward-no-answer", "target-uas.xml", carol, Calls, [])]);

        await bench.AssertCleanAsync(uac, Calls, uases.Select(u => (u, (long)Calls)));
        await bench.AssertCdrsAsync(Calls, "answered", 200, "forward-no-answer");
    }

    // ---- hold ----

    /// <summary>
    /// alice holds bob (sendonly, answered recvonly), then resumes. bob's media is a socket of this test: while held,
    /// it gets hold music from the anchor, PCMU at 50 packets a second with 160 timestamp units per packet, one anchor
    /// port per call.
    /// </summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Hold_CallerHoldsWithSendonly_HeldPartyHearsMusicThenTwoWayAgain() => HoldAsync("hold-uac.xml", "held-uas.xml", callerHeld: false);

    /// <summary>A hold with a=inactive: the holder gets inactive back, the held party still gets sendonly and music.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Hold_CallerHoldsWithInactive_HolderGetsInactiveHeldPartyHearsMusic() => HoldAsync("hold-inactive-uac.xml", "held-uas.xml", callerHeld: false);

    /// <summary>The holder hangs up while holding: the call ends cleanly and the music stops with it.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Hold_ByeWhileHeld_CallEndsAndMusicStops() => HoldAsync("hold-bye-uac.xml", "held-bye-uas.xml", callerHeld: false);

    /// <summary>The callee holds the caller: the caller gets the sendonly re-INVITE and the music.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Hold_CalleeHoldsTheCaller_CallerHearsMusicThenTwoWayAgain() => HoldAsync("held-caller-uac.xml", "holder-uas.xml", callerHeld: true);

    // ---- cancel ----

    /// <summary>The caller cancels while bob rings and his no-answer timer (3 s) runs: 487, bob CANCELled, carol never sees an INVITE, even after the timer's time.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task Cancel_WhileNoAnswerTimerRuns_BobCancelledCarolNeverRung()
    {
        var bob = ServerProcess.FreeUdpPort();
        using var carol = new SilentPhone();
        await using var bench = await Bench.StartAsync(
            [Subscriber("bob", new { forwardNoAnswer = "carol", noAnswerTimeoutSeconds = 3 }), Subscriber("carol")], [("bob", bob), ("carol", carol.Port)]);

        var (uac, uases) = await bench.RunAsync(("cancel", "cancel-uac.xml"), "bob", Calls, [("cancel", "ringing-uas.xml", bob, Calls, [])]);

        await bench.AssertCleanAsync(uac, Calls, uases.Select(u => (u, (long)Calls)));
        Assert.Equal(0, carol.Received);
        await bench.AssertCdrsAsync(Calls, "cancelled", 487, "cancel");
    }

    /// <summary>The caller cancels while carol, the forward-on-busy target, rings: 487, carol CANCELled.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task Cancel_WhileForwardTargetRings_TargetCancelled()
    {
        var bob = ServerProcess.FreeUdpPort();
        var carol = ServerProcess.FreeUdpPort();
        await using var bench = await Bench.StartAsync(
            [Subscriber("bob", new { forwardBusy = "carol" }), Subscriber("carol")], [("bob", bob), ("carol", carol)]);

        var (uac, uases) = await bench.RunAsync(("cancel", "cancel-forwarded-uac.xml"), "bob", Calls,
            [("cancel", "busy-uas.xml", bob, Calls, []), ("cancel", "ringing-uas.xml", carol, Calls, [])]);

        await bench.AssertCleanAsync(uac, Calls, uases.Select(u => (u, (long)Calls)));
        await bench.AssertCdrsAsync(Calls, "cancelled", 487, "forward-busy", "cancel");
    }

    // ---- star-codes ----

    /// <summary>Each code is answered 200 by the B2BUA itself, which hangs up after the tone; the setting shows in the admin API.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task StarCodes_SetAndClear_AnsweredHungUpAndStored()
    {
        using var carol = new SilentPhone();
        await using var bench = await Bench.StartAsync([Subscriber("alice"), Subscriber("carol")], [("carol", carol.Port)]);

        (string Code, string Setting, bool Set)[] steps =
        [
            ("*72carol", "forwardUnconditional", true),
            ("*73", "forwardUnconditional", false),
            ("*90carol", "forwardBusy", true),
            ("*92carol", "forwardNoAnswer", true),
            ("*93", "forwardNoAnswer", false),
        ];
        var problems = new List<string>();
        foreach (var (code, setting, set) in steps)
        {
            var uac = await bench.RunUacAsync(("star-codes", "set-uac.xml"), code, 1);
            if (uac.Problems(1) is { Length: > 0 } problem)
            {
                problems.Add($"{code}: {problem}");
                continue;
            }

            var value = await SettingAsync(bench, "alice", setting);
            if (set ? value is null || !value.Contains("carol", StringComparison.Ordinal) : value is not null)
            {
                problems.Add($"{code}: alice's {setting} is '{value ?? "null"}'");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
        Assert.Equal(0, carol.Received);
        await bench.AssertCleanAsync(null, 0, []);
        await bench.AssertCdrsAsync(steps.Length, "answered", 200, "star-codes");
    }

    /// <summary>A code that needs a target without one gets 603 Decline and changes nothing.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task StarCodes_MissingTarget_603AndNothingChanged()
    {
        await using var bench = await Bench.StartAsync([Subscriber("alice", new { forwardBusy = "sip:dave@example.test" })], []);

        var star72 = await bench.RunUacAsync(("star-codes", "decline-uac.xml"), "*72", Calls);
        var star90 = await bench.RunUacAsync(("star-codes", "decline-uac.xml"), "*90", Calls);

        await bench.AssertCleanAsync(star72, Calls, [(star90, (long)Calls)]);
        Assert.Null(await SettingAsync(bench, "alice", "forwardUnconditional"));
        Assert.Equal("sip:dave@example.test", await SettingAsync(bench, "alice", "forwardBusy"));
        await bench.AssertCdrsAsync(2 * Calls, "failed", 603, "star-codes");
    }

    private static async Task HoldAsync(string uacScenario, string uasScenario, bool callerHeld)
    {
        var bob = ServerProcess.FreeUdpPort();
        await using var bench = await Bench.StartAsync(
            [Subscriber("alice", new { musicOnHold = true }), Subscriber("bob", new { musicOnHold = true })], [("bob", bob)]);
        using var sink = new RtpSink();
        string[] sinkKey = ["-key", "sink_port", sink.Port.ToString(CultureInfo.InvariantCulture)];
        string[] holdTime = ["-d", HoldMs.ToString(CultureInfo.InvariantCulture)];

        var (uac, uases) = await bench.RunAsync(("hold", uacScenario), "bob", Calls,
            [("hold", uasScenario, bob, Calls, callerHeld ? holdTime : sinkKey)],
            callerHeld ? sinkKey : holdTime);
        await Task.Delay(300);
        var streams = sink.Streams();
        await Task.Delay(500);
        var later = sink.Streams().Sum(s => s.Value.Count);

        await bench.AssertCleanAsync(uac, Calls, uases.Select(u => (u, (long)Calls)));
        await bench.AssertCdrsAsync(Calls, "answered", 200, "hold");
        Assert.True(later == streams.Sum(s => s.Value.Count), $"{later - streams.Sum(s => s.Value.Count)} RTP packets after every call had ended");

        // One anchor port per call; about HoldMs of 20 ms packets each (music starts after the hold's answer and stops at the resume).
        // The count allows for a stall of the loaded machine (2 cores shared by SIPp, the server and the test).
        Assert.True(streams.Count == Calls, $"RTP from {streams.Count} ports, expected {Calls}: {string.Join(", ", streams.Select(s => $"{s.Key}: {s.Value.Count}"))}");
        Assert.All(streams, s =>
        {
            var packets = s.Value;
            Assert.InRange(s.Key, 14000, 14399);
            Assert.InRange(packets.Count, HoldMs / 20 * 6 / 10, HoldMs / 20 * 14 / 10);
            Assert.All(packets, p => Assert.Equal((0, 172), (p.PayloadType, p.Length)));
            Assert.Single(packets.Select(p => p.Ssrc).Distinct());

            // 160 timestamp units (20 ms of 8 kHz) per packet. A sender that fell behind (a stall of the machine) may skip
            // packets and keep its clock: the timestamp then jumps by a multiple of 160, never by less than the packets sent.
            // In sequence order counted from the first packet, so that a stream whose 16-bit sequence wraps (its start is
            // random, RFC 3550 §5.1) stays in order.
            var ordered = packets.OrderBy(p => (ushort)(p.Sequence - packets[0].Sequence)).ToList();
            var steps = ordered.Zip(ordered.Skip(1), (a, b) => (Packets: (uint)(ushort)(b.Sequence - a.Sequence), Units: b.Timestamp - a.Timestamp)).ToList();
            Assert.All(steps, step => Assert.True(step.Units % 160 == 0 && step.Units >= 160 * step.Packets, $"timestamp step {step.Units} over {step.Packets} packets"));
            Assert.True(steps.Count(step => step.Units == 160 * step.Packets) >= steps.Count * 9 / 10, $"timestamp steps: {string.Join(", ", steps.Select(step => step.Units))}");
        });
    }

    private static async Task<string?> SettingAsync(Bench bench, string user, string setting)
    {
        var view = await bench.Server.Http.GetFromJsonAsync<JsonObject>($"/api/subscribers/{user}");
        return view?["features"]?[setting]?.GetValue<string>();
    }

    private static string Scenario(string feature, string file) => Path.Combine(AppContext.BaseDirectory, "features", feature, "scenarios", file);

    private static object Subscriber(string user, object? features = null) =>
        new { user, password = user + "-test-pw", features = features ?? new { } };

    private static string Join(IReadOnlyList<string>? features) => string.Join(",", features ?? []);

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>A CDR with what the feature tests look at; the admin API serves more.</summary>
    private sealed record FeatureCdr(string CallId, string Dialled, string? FinalTarget, string Result, int FinalStatus, List<string>? Features);

    /// <summary>One server with its subscribers and routes, and the work directory its SIPp runs write to.</summary>
    private sealed class Bench : IAsyncDisposable
    {
        private bool _passed;

        private Bench(ServerFixture server, DirectoryInfo work)
        {
            Server = server;
            Work = work;
        }

        public ServerFixture Server { get; }

        public DirectoryInfo Work { get; }

        public CallRegistry Registry => Server.Services.GetRequiredService<CallRegistry>();

        /// <summary>
        /// Trusted loopback (no digest), probes off (a SIPp UAS counts an OPTIONS as unexpected), T1 1 s (as in
        /// SippCallFlowTests), the media anchor on loopback, every feature enabled in the default order, the
        /// subscribers from a provisioning file of this test (not the demo one), and a static route per phone.
        /// </summary>
        public static async Task<Bench> StartAsync(object[] subscribers, (string User, int Port)[] routes, params string[] extra)
        {
            var work = Directory.CreateTempSubdirectory("sipp-feature-");
            var provisioning = Path.Combine(work.FullName, "provisioning.json");
            await File.WriteAllTextAsync(provisioning, JsonSerializer.Serialize(new { subscribers }));
            string[] arguments =
            [
                "--Routing:Trusted:0=127.0.0.0/8",
                "--Routing:Probe:Interval=00:00:00",
                "--Sip:Timers:T1=00:00:01",
                "--Media:Address=127.0.0.1",
                "--Media:PortMin=14000",
                "--Media:PortMax=14399",
                $"--Provisioning:File={provisioning}",
                .. AllFeatures.Select((f, i) => $"--Features:Enabled:{i}={f}"),
                .. routes.SelectMany((r, i) => new[]
                {
                    $"--Routing:Routes:{i}:Pattern=^{r.User}$",
                    $"--Routing:Routes:{i}:Targets:0=sip:127.0.0.1:{r.Port}",
                }),
                .. extra,
            ];
            return new Bench(await ServerFixture.StartAsync(arguments), work);
        }

        /// <summary>The UASes first (each on its port), then the UAC to completion, then the UASes' results.</summary>
        public async Task<(SippSideResult Uac, SippSideResult[] Uases)> RunAsync(
            (string Feature, string File) uac, string service, int calls, (string Feature, string File, int Port, int Calls, string[] Extra)[] uases, string[]? uacExtra = null)
        {
            var started = uases.Select(u => SippPair.StartUas(Scenario(u.Feature, u.File), u.Port, u.Calls, Work, UasLimit, u.Extra)).ToArray();
            await Task.Delay(300);
            var caller = await RunUacAsync(uac, service, calls, uacExtra ?? []);
            return (caller, await Task.WhenAll(started));
        }

        public Task<SippSideResult> RunUacAsync((string Feature, string File) uac, string service, int calls, params string[] extra) =>
            SippPair.RunUacAsync(Scenario(uac.Feature, uac.File), Server.UdpEndPoint, service, Server.UdpEndPoint.Port, calls, Math.Min(calls, Rate), Work, UacLimit, extra);

        /// <summary>Every SIPp side clean, then no call left in the server.</summary>
        public async Task AssertCleanAsync(SippSideResult? uac, long calls, IEnumerable<(SippSideResult Side, long Calls)> others)
        {
            var problems = new[] { (Side: uac, Calls: calls) }.Where(s => s.Side is not null).Select(s => s.Side!.Problems(s.Calls))
                .Concat(others.Select(o => o.Side.Problems(o.Calls)))
                .Where(p => p.Length > 0)
                .ToList();
            Assert.True(problems.Count == 0, string.Join("\n\n", problems));

            await WaitForAsync(() => Registry.ActiveCount == 0, TimeSpan.FromSeconds(10));
            Assert.Equal(0, Registry.ActiveCount);
        }

        public async Task<IReadOnlyList<FeatureCdr>> CdrsAsync(int count)
        {
            await CdrApi.WaitForAsync(Server, count);
            var cdrs = await Server.Http.GetFromJsonAsync<List<FeatureCdr>>($"/api/cdrs?limit={CdrApi.MaxRecords}") ?? [];
            Assert.Equal(count, cdrs.Count);
            _passed = true;
            return cdrs;
        }

        /// <summary>One CDR per call, each with this result, final status and features applied (in order).</summary>
        public async Task AssertCdrsAsync(int count, string result, int finalStatus, params string[] features)
        {
            var cdrs = await CdrsAsync(count);
            Assert.All(cdrs, c => Assert.Equal((result, finalStatus, string.Join(",", features)), (c.Result, c.FinalStatus, Join(c.Features))));
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            if (_passed)
            {
                Work.Delete(recursive: true);
            }
        }
    }

    /// <summary>A phone that must not be rung: a socket on the port its route names, counting whatever arrives.</summary>
    private sealed class SilentPhone : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly CancellationTokenSource _stop = new();
        private int _received;

        public SilentPhone()
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
            _ = ListenAsync();
        }

        public int Port { get; }

        public int Received => Volatile.Read(ref _received);

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Dispose();
            _stop.Dispose();
        }

        private async Task ListenAsync()
        {
            var buffer = new byte[65536];
            try
            {
                while (true)
                {
                    await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                    Interlocked.Increment(ref _received);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }
    }

    private readonly record struct RtpPacket(int PayloadType, int Length, ushort Sequence, uint Timestamp, uint Ssrc);

    /// <summary>The held party's media socket: every RTP packet that arrives, by the port it came from.</summary>
    private sealed class RtpSink : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly CancellationTokenSource _stop = new();
        private readonly Dictionary<int, List<RtpPacket>> _streams = [];

        public RtpSink()
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
            _ = ListenAsync();
        }

        public int Port { get; }

        public Dictionary<int, List<RtpPacket>> Streams()
        {
            lock (_streams)
            {
                return _streams.ToDictionary(s => s.Key, s => s.Value.ToList());
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Dispose();
            _stop.Dispose();
        }

        private async Task ListenAsync()
        {
            var buffer = new byte[2048];
            try
            {
                while (true)
                {
                    var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                    if (result.ReceivedBytes < 12)
                    {
                        continue;
                    }

                    var packet = new RtpPacket(
                        buffer[1] & 0x7F,
                        result.ReceivedBytes,
                        (ushort)((buffer[2] << 8) | buffer[3]),
                        (uint)((buffer[4] << 24) | (buffer[5] << 16) | (buffer[6] << 8) | buffer[7]),
                        (uint)((buffer[8] << 24) | (buffer[9] << 16) | (buffer[10] << 8) | buffer[11]));
                    lock (_streams)
                    {
                        var port = ((IPEndPoint)result.RemoteEndPoint).Port;
                        if (!_streams.TryGetValue(port, out var list))
                        {
                            _streams[port] = list = [];
                        }

                        list.Add(packet);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }
    }
}
