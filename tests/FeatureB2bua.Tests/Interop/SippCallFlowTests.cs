using FeatureB2bua.Core.Calls;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureB2bua.Tests.Interop;

/// <summary>
/// SIPp UAC -> B2BUA -> SIPp UAS, one scenario pair per call flow and per known race (docs/call-races.md).
/// Each test asserts both SIPp sides clean (every call successful, nothing failed, no message outside a call),
/// then that the server has no call left and wrote one CDR per call with the expected result. A failing test
/// leaves its work directory (SIPp's statistics and error logs) in the temp directory.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SippCallFlowTests
{
    private const int Calls = 20;
    private const int Rate = 20;

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task BasicCall_CallerHangsUp() => FlowAsync("call-uac.xml", "call-uas.xml", "answered", 200);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task BasicCall_CalleeHangsUp_CallerGetsByeOnItsOwnDialog() => FlowAsync("bye-callee-uac.xml", "bye-callee-uas.xml", "answered", 200);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Busy486_RelayedAndAckedHopByHop() => FlowAsync("busy-uac.xml", "busy-uas.xml", "busy", 486);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Busy600_RelayedAndAckedHopByHop() => FlowAsync("busy-uac.xml", "busy-everywhere-uas.xml", "busy", 600);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Decline603_RelayedAndAckedHopByHop() => FlowAsync("busy-uac.xml", "decline-uas.xml", "failed", 603);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task CancelAfterRinging_CallerGets487AtOnceCalleeIsCancelled() => FlowAsync("cancel-ringing-uac.xml", "cancel-ringing-uas.xml", "cancelled", 487);

    /// <summary>The B2BUA may cancel the callee only after its 180 (RFC 3261 §9.1).</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task CancelBeforeAnyProvisional_CalleeIsCancelledOnlyAfterIts180() => FlowAsync("cancel-early-uac.xml", "cancel-early-uas.xml", "cancelled", 487);

    /// <summary>A 100 Trying is a provisional response too: it releases the held CANCEL.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task CancelBeforeAnyProvisional_CalleeIsCancelledAfterIts100() => FlowAsync("cancel-early-uac.xml", "cancel-early-trying-uas.xml", "cancelled", 487);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task ReInviteFromCaller_RelayedWithItsSdpEachLegAckedApart() => FlowAsync("reinvite-uac.xml", "reinvite-uas.xml", "answered", 200);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task ReInviteFromCallee_RelayedWithItsSdpEachLegAckedApart() => FlowAsync("reinvite-callee-uac.xml", "reinvite-callee-uas.xml", "answered", 200);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Update_BothWays_RelayedWithTheAnswers() => FlowAsync("update-uac.xml", "update-uas.xml", "answered", 200);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Info_BothWays_FinalResponsesRelayedBack() => FlowAsync("info-uac.xml", "info-uas.xml", "answered", 200);

    /// <summary>RFC 3261 §14: the callee's re-INVITE is in flight, so the caller's gets 491 from the B2BUA; the retry goes through.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Glare_CallerReInviteWhileCalleesInFlight_Gets491ThenRetrySucceeds() => FlowAsync("glare-uac.xml", "glare-uas.xml", "answered", 200);

    /// <summary>The callee refuses the relayed re-INVITE with 491 (and gets 491 for its own): the caller gets the 491; the retry goes through.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task Glare_CalleeAnswers491_RelayedToTheCaller() => FlowAsync("glare-callee-uac.xml", "glare-callee-uas.xml", "answered", 200);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task ByeBeforeAck_BothLegsEnd() => FlowAsync("bye-before-ack-uac.xml", "bye-before-ack-uas.xml", "answered", 200);

    /// <summary>RFC 3261 §15.1.2: the caller's pending re-INVITE gets 487, the callee's held one is answered 487 and ACKed.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task ByeCrossingReInvite_PendingReInviteGets487AndBothLegsEnd() => FlowAsync("bye-crosses-reinvite-uac.xml", "bye-crosses-reinvite-uas.xml", "answered", 200);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task CancelCrossingTheCallees200_CallerKeeps487CalleeIsAckedAndHungUp() => FlowAsync("cancel-ringing-uac.xml", "cancel-crosses-200-uas.xml", "cancelled", 487);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task CalleeAnswersAfterTheCallerHungUp_AckedAndHungUp() => FlowAsync("cancel-early-uac.xml", "answer-after-cancel-uas.xml", "cancelled", 487);

    /// <summary>RFC 3261 §13.2.2.4: a 2xx resent after the ACK (the ACK was lost) is ACKed again. -nr: see ok-resent-uas.xml.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public Task CalleeResends200AfterTheAck_AckedAgain() => FlowAsync("bye-callee-uac.xml", "ok-resent-uas.xml", "answered", 200, ["-nr"]);

    /// <summary>RFC 3261 §9.2: a CANCEL that matches no transaction gets 481, and starts nothing.</summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task CancelForNoTransaction_Gets481()
    {
        var work = Directory.CreateTempSubdirectory("sipp-flow-");
        await using var server = await StartServerAsync(ServerProcess.FreeUdpPort());

        var uac = await SippPair.RunUacAsync("cancel-unknown-uac.xml", server.UdpEndPoint, "service", 9, Calls, Rate, work, TimeSpan.FromSeconds(30));

        Assert.True(uac.Problems(Calls).Length == 0, uac.Problems(Calls));
        Assert.Equal(0, server.Services.GetRequiredService<CallRegistry>().ActiveCount);
        Assert.Empty(await CdrApi.GetAsync(server));
        work.Delete(recursive: true);
    }

    /// <summary>
    /// 1000 calls in one server run, five flows at once, each with its own SIPp pair and route: afterwards no call,
    /// no transaction and no timer is left, and the CDRs count each flow's result. T4 and Timer D are shortened;
    /// the BYE server transactions' Timer J (64*T1 = 32 s at T1 500 ms) is waited out.
    /// </summary>
    [RequiresPeerFact("sipp", "sip-tester")]
    public async Task MixedCalls_1000_LeaveNothingBehind()
    {
        (string Service, string Uac, string Uas, string Result)[] flows =
        [
            ("basic", "call-uac.xml", "call-uas.xml", "answered"),
            ("busy", "busy-uac.xml", "busy-uas.xml", "busy"),
            ("cancel", "cancel-ringing-uac.xml", "cancel-ringing-uas.xml", "cancelled"),
            ("hangup", "bye-callee-uac.xml", "bye-callee-uas.xml", "answered"),
            ("reinvite", "reinvite-uac.xml", "reinvite-uas.xml", "answered"),
        ];
        const int callsPerFlow = 200;
        const int ratePerFlow = 25;
        var work = Directory.CreateTempSubdirectory("sipp-mixed-");
        var ports = flows.Select(_ => ServerProcess.FreeUdpPort()).ToArray();
        var clock = new CountingTimeProvider();
        string[] arguments =
        [
            "--Routing:Trusted:0=127.0.0.0/8",
            "--Routing:Probe:Interval=00:00:00",
            "--Sip:Timers:T4=00:00:00.2",
            "--Sip:Timers:TimerD=00:00:01",
            .. flows.SelectMany((f, i) => new[]
            {
                $"--Routing:Routes:{i}:Pattern=^{f.Service}$",
                $"--Routing:Routes:{i}:Targets:0=sip:127.0.0.1:{ports[i]}",
            }),
        ];
        await using var server = await ServerFixture.StartAsync(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)), arguments);

        // Hosted services arm their own timers (the binding reaper's PeriodicTimer) just after start: the count before
        // the calls is taken once it has held still, or that timer is taken for one the calls left behind.
        var timersBefore = clock.LiveTimers;
        for (var settled = 0; settled < 3; settled = clock.LiveTimers == timersBefore ? settled + 1 : 0)
        {
            timersBefore = clock.LiveTimers;
            await Task.Delay(100);
        }

        var results = await Task.WhenAll(flows.Select((f, i) =>
            SippPair.RunAsync(server, f.Uac, f.Uas, f.Service, ports[i], callsPerFlow, ratePerFlow, work)));

        var registry = server.Services.GetRequiredService<CallRegistry>();
        var transactions = server.Stack.Transactions;
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while ((registry.ActiveCount + transactions.ServerCount + transactions.ClientCount) > 0 || clock.LiveTimers > timersBefore)
        {
            if (DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        // Every problem at once: a failing flow should not hide what the others left behind.
        var problems = results.SelectMany(r => new[] { r.Uac.Problems(callsPerFlow), r.Uas.Problems(callsPerFlow) }).Where(p => p.Length > 0).ToList();
        if (registry.ActiveCount != 0)
        {
            problems.Add($"{registry.ActiveCount} calls still active");
        }

        if (transactions.ServerCount != 0 || transactions.ClientCount != 0)
        {
            problems.Add($"{transactions.ServerCount} server and {transactions.ClientCount} client transactions left");
        }

        if (clock.CreatedTimers < flows.Length * callsPerFlow)
        {
            // Every call arms transaction timers; fewer means the server's timers bypass the counting clock.
            problems.Add($"only {clock.CreatedTimers} timers created through the counting clock");
        }
        else if (clock.LiveTimers != timersBefore)
        {
            problems.Add($"{clock.LiveTimers} live timers, {timersBefore} before the calls ({clock.CreatedTimers} created in all): {clock.LiveOwners()}");
        }

        var expected = flows.GroupBy(f => f.Result).ToDictionary(g => g.Key, g => g.Count() * callsPerFlow);
        var actual = (await CdrApi.WaitForAsync(server, flows.Length * callsPerFlow)).GroupBy(c => c.Result).ToDictionary(g => g.Key, g => g.Count());
        if (!expected.OrderBy(e => e.Key).SequenceEqual(actual.OrderBy(a => a.Key)))
        {
            problems.Add($"CDRs by result: {string.Join(", ", actual.Select(a => $"{a.Key}={a.Value}"))}; expected {string.Join(", ", expected.Select(e => $"{e.Key}={e.Value}"))}");
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
        work.Delete(recursive: true);
    }

    /// <summary>
    /// Upstream probes are off: a SIPp UAS counts an OPTIONS outside its scenario as unexpected. T1 is 1 s: on a
    /// loaded CI machine an answer can take longer than 500 ms, and our retransmission of a request SIPp has
    /// already answered arrives where its scenario has moved on. These are the call core's relay rules, so music on
    /// hold is off: it offers a held party sendonly where the holder wrote inactive (features/hold has its own).
    /// </summary>
    private static Task<ServerFixture> StartServerAsync(int uasPort) => ServerFixture.StartAsync(
        "--Features:Disabled:0=hold",
        "--Routing:Trusted:0=127.0.0.0/8",
        "--Routing:Probe:Interval=00:00:00",
        "--Sip:Timers:T1=00:00:01",
        "--Routing:Routes:0:Pattern=^service$",
        $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{uasPort}");

    private static async Task FlowAsync(string uacScenario, string uasScenario, string result, int finalStatus, string[]? uasExtra = null)
    {
        var work = Directory.CreateTempSubdirectory("sipp-flow-");
        var uasPort = ServerProcess.FreeUdpPort();
        await using var server = await StartServerAsync(uasPort);

        var (uac, uas) = await SippPair.RunAsync(server, uacScenario, uasScenario, "service", uasPort, Calls, Rate, work, uasExtra);

        Assert.True(uac.Problems(Calls).Length == 0 && uas.Problems(Calls).Length == 0, $"{uac.Problems(Calls)}\n{uas.Problems(Calls)}");
        var registry = server.Services.GetRequiredService<CallRegistry>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (registry.ActiveCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, registry.ActiveCount);
        var cdrs = await CdrApi.WaitForAsync(server, Calls);
        Assert.Equal(Calls, cdrs.Count);
        Assert.All(cdrs, cdr => Assert.Equal((result, finalStatus), (cdr.Result, cdr.FinalStatus)));
        work.Delete(recursive: true);
    }
}
