using FeatureB2bua.Core.Features;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Features;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Tests.Logging;

/// <summary>
/// The log of calls through the real server: every line the call core, the features and the media anchor write while a
/// call is handled carries that call's CallId (its A-leg Call-ID) and no other's, and each ended call writes exactly one
/// summary line whose fields are the call's.
/// </summary>
public sealed partial class CallLogTests
{
    private const int SummaryEvent = 4007;
    private const int ProbeEvent = 9901;
    private const string BadSdp = "this is no session description";
    private static readonly string[] CallCategories = ["FeatureB2bua.Core.Calls", "FeatureB2bua.Media", "FeatureB2bua.Features", "FeatureB2bua.Tests.Logging"];

    [Fact]
    public async Task AnsweredCall_WithAnEarlySdpThatCannotBeAnchored_EveryLineCarriesItsCallId_AndOneSummarySaysAnswered()
    {
        var capture = new LogCapture();
        await using var h = await CallHarness.StartAsync(s => WithProbe(s, capture), Settings(15000, "--Features:Enabled:0=log-probe"));

        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 183, "Session Progress", body: BadSdp);
        Assert.True((await CallHarness.NextResponseAsync(h.Caller, 183)).Body.IsEmpty);
        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp);
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200);
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        await h.AssertEndedAsync("answered");

        var lines = CallLines(capture, h.CallId);
        var warning = Assert.Single(lines, l => l.EventId == 4005);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(bInvite.CallId, warning.ScopeValue("BCallId"));
        Assert.Contains(lines, l => l.EventId == ProbeEvent);
        var summary = AssertSummary(lines, h.CallId, "answered", 200);
        Assert.InRange((double)summary.State["DurationSeconds"]!, 0, 5);
        Assert.InRange((double)summary.State["SetupSeconds"]!, 0, 5);
        Assert.Equal("sip:alice@example.test", summary.State["Caller"]);
        Assert.Equal("sip:bob@example.test", summary.State["Dialled"]);
        Assert.Equal(bInvite.RequestUri!.Raw, summary.State["Target"]);
        Assert.Equal(bInvite.CallId, summary.ScopeValue("BCallId"));
        Assert.Equal(0L, summary.State["RtpAToB"]);
    }

    [Fact]
    public async Task BusyCall_OneSummarySaysBusyWith486AndNoTalkTime()
    {
        var capture = new LogCapture();
        await using var h = await CallHarness.StartAsync(s => WithProbe(s, capture), Settings(15100));

        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 486, "Busy Here");
        await CallHarness.NextResponseAsync(h.Caller, 486);
        await h.AssertEndedAsync("busy");

        var summary = AssertSummary(CallLines(capture, h.CallId), h.CallId, "busy", 486);
        Assert.Equal(0d, summary.State["DurationSeconds"]);
        Assert.Equal(bInvite.RequestUri!.Raw, summary.State["Target"]);
        Assert.Equal(1, summary.State["Branches"]);
    }

    [Fact]
    public async Task CancelledCall_OneSummarySaysCancelledWith487()
    {
        var capture = new LogCapture();
        await using var h = await CallHarness.StartAsync(s => WithProbe(s, capture), Settings(15200));

        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 180, "Ringing");
        await CallHarness.NextResponseAsync(h.Caller, 180);
        h.Caller.Send(h.CallerCancel());
        await CallHarness.NextResponseAsync(h.Caller, 487);
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "CANCEL"), 200, "OK");
        h.CalleeResponds(bInvite, 487, "Request Terminated");
        await h.AssertEndedAsync("cancelled");

        var summary = AssertSummary(CallLines(capture, h.CallId), h.CallId, "cancelled", 487);
        Assert.Equal(0d, summary.State["DurationSeconds"]);
    }

    [Fact]
    public async Task ForwardedOnBusy_OneSummaryNamesTheFeatureAndTheNewTarget_AndItsScopeTheNewBLeg()
    {
        var capture = new LogCapture();
        await using var f = await FeatureHarness.StartWithServicesAsync(new() { ["bob"] = new { forwardBusy = "carol" } }, s => WithProbe(s, capture), Settings(15300));
        var h = f.Call;

        h.Caller.Send(h.Invite());
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "INVITE"), 486, "Busy Here");
        await CallHarness.NextResponseAsync(h.Caller, 181);
        var carolInvite = await CallHarness.NextRequestAsync(f.Carol, "INVITE");
        await f.CallerHangsUpOnCarolAsync(await f.CarolAnswersAsync(carolInvite));
        await h.AssertEndedAsync("answered");

        var summary = AssertSummary(CallLines(capture, h.CallId), h.CallId, "answered", 200);
        Assert.Equal("forward-busy", summary.State["Features"]);
        Assert.Equal(carolInvite.RequestUri!.Raw, summary.State["Target"]);
        Assert.Equal(2, summary.State["Branches"]);
        Assert.Equal(carolInvite.CallId, summary.ScopeValue("BCallId"));
    }

    [Fact]
    public async Task TwoConcurrentCalls_EachLineCarriesOnlyItsOwnCallId_AFeatureFailureAndAnSdpWarningIncluded()
    {
        var capture = new LogCapture();
        await using var h = await CallHarness.StartAsync(s => WithProbe(s, capture), Settings(15400, "--Features:Enabled:0=log-probe"));
        var secondId = "second-" + Guid.NewGuid().ToString("N");
        string Second(string message) => message.Replace(h.CallId, secondId, StringComparison.Ordinal);

        // The first call rings with an early SDP we cannot anchor; the second, from mallory, makes the probe feature throw.
        h.Caller.Send(h.Invite());
        var first = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.Caller.Send(Second(h.Invite(branch: "z9hG4bKinv2")).Replace("\"Alice\" <sip:alice@", "<sip:mallory@", StringComparison.Ordinal));
        SipMessage second;
        do
        {
            // The first B-leg INVITE may come again (Timer A, T1 is 200 ms here) before the second's arrives.
            second = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        }
        while (second.CallId == first.CallId);
        h.CalleeResponds(first, 183, "Session Progress", body: BadSdp);
        Assert.Equal(h.CallId, (await CallHarness.NextResponseAsync(h.Caller, 183)).CallId);
        h.CalleeResponds(second, 180, "Ringing");
        Assert.Equal(secondId, (await CallHarness.NextResponseAsync(h.Caller, 180)).CallId);

        // The second ends busy while the first goes on to be answered and hung up.
        h.CalleeResponds(second, 486, "Busy Here");
        Assert.Equal(secondId, (await CallHarness.NextResponseAsync(h.Caller, 486)).CallId);
        h.CalleeResponds(first, 200, "OK", body: CallHarness.AnswerSdp);
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200);
        Assert.Equal(h.CallId, answer.CallId);
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        await capture.WaitForAsync(lines => lines.Count(l => l.EventId == SummaryEvent) == 2);

        var lines = CallLines(capture, h.CallId, secondId);
        var firsts = lines.Where(l => l.CallIds[0] == h.CallId).ToList();
        var seconds = lines.Where(l => l.CallIds[0] == secondId).ToList();
        Assert.Equal(LogLevel.Warning, Assert.Single(firsts, l => l.EventId == 4005).Level);
        Assert.Equal(LogLevel.Error, Assert.Single(seconds, l => l.EventId == 4004).Level);
        Assert.DoesNotContain(firsts, l => l.EventId == 4004);
        Assert.DoesNotContain(seconds, l => l.EventId == 4005);
        Assert.Equal(first.CallId, AssertSummary(firsts, h.CallId, "answered", 200).ScopeValue("BCallId"));
        Assert.Equal(second.CallId, AssertSummary(seconds, secondId, "busy", 486).ScopeValue("BCallId"));
        Assert.Equal("sip:mallory@example.test", Assert.Single(seconds, l => l.EventId == SummaryEvent).State["Caller"]);
    }

    [Fact]
    public async Task MediaTimeout_TheAnchorsWarningCarriesTheCallId_AndTheSummaryHasTheTalkTimeOnTheServersClock()
    {
        var capture = new LogCapture();
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(
            s =>
            {
                s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
                WithProbe(s, capture);
            },
            Settings(15500, "--Media:InactivityTimeoutSeconds=30"));
        using var alice = new RtpPeer(1);
        using var bob = new RtpPeer(2);
        await CallMediaTests.AnswerWithMediaAsync(h, alice, bob);
        await h.SettleAsync();

        clock.Advance(TimeSpan.FromSeconds(31));
        h.CallerResponds(await CallHarness.NextRequestAsync(h.Caller, "BYE"), 200, "OK");
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        await h.AssertEndedAsync("media-timeout");

        var lines = CallLines(capture, h.CallId);
        var timedOut = Assert.Single(lines, l => l.EventId == 5001);
        Assert.StartsWith("FeatureB2bua.Media", timedOut.Category, StringComparison.Ordinal);
        var summary = AssertSummary(lines, h.CallId, "media-timeout", 200);
        Assert.InRange((double)summary.State["DurationSeconds"]!, 30, 31);
        Assert.Equal(0d, summary.State["SetupSeconds"]);
        Assert.Equal(0L, summary.State["RtpAToB"]);
        Assert.Equal(0L, summary.State["RtpBToA"]);
    }

    private static string[] Settings(int mediaPorts, params string[] more) =>
    [
        "--Logging:LogLevel:FeatureB2bua=Information",
        $"--Media:PortMin={mediaPorts}",
        $"--Media:PortMax={mediaPorts + 99}",
        .. more,
    ];

    /// <summary>The capture, and the probe feature for the tests that enable it by name.</summary>
    private static void WithProbe(IServiceCollection services, LogCapture capture)
    {
        services.AddSingleton<ILoggerProvider>(capture);
        services.AddSingleton<ICallFeature, LogProbeFeature>();
    }

    /// <summary>
    /// The lines of the call core, features and media: each carries exactly one scope with a CallId, one of
    /// <paramref name="callIds"/> (so no line of one call carries another's, nor its own twice), and every call has some.
    /// </summary>
    private static List<CapturedLine> CallLines(LogCapture capture, params string[] callIds)
    {
        var lines = capture.Lines.Where(l => CallCategories.Any(c => l.Category.StartsWith(c, StringComparison.Ordinal))).ToList();
        Assert.All(lines, line =>
        {
            Assert.True(line.CallIds.Count == 1, "not exactly one CallId: " + line);
            Assert.Contains(line.CallIds[0], callIds);
        });
        Assert.All(callIds, id => Assert.Contains(lines, l => l.CallIds[0] == id));
        return lines;
    }

    private static CapturedLine AssertSummary(IEnumerable<CapturedLine> lines, string callId, string result, int finalStatus)
    {
        var summary = Assert.Single(lines, l => l.EventId == SummaryEvent && l.CallIds[0] == callId);
        Assert.Equal(LogLevel.Information, summary.Level);
        Assert.Equal(result, summary.State["Result"]);
        Assert.Equal(finalStatus, summary.State["FinalStatus"]);
        Assert.StartsWith($"call ended: result={result} ", summary.Message, StringComparison.Ordinal);
        return summary;
    }

    /// <summary>A feature module of the test's own that logs on every call it screens and fails for callers named mallory.</summary>
    private sealed partial class LogProbeFeature(ILogger<LogProbeFeature> logger) : ICallFeature
    {
        public string Name => "log-probe";

        public ValueTask<FeatureDecision> OnIncomingAsync(FeatureContext call, CancellationToken cancellationToken)
        {
            Screening(logger, call.Target.Raw);
            return call.Caller.User == "mallory" ? throw new InvalidOperationException("the probe fails for mallory") : ValueTask.FromResult(FeatureDecision.Continue);
        }

        [LoggerMessage(EventId = ProbeEvent, Level = LogLevel.Information, Message = "Screening a call to {Target}")]
        private static partial void Screening(ILogger logger, string target);
    }
}
