using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using FeatureB2bua.Tests.Observability;

namespace FeatureB2bua.Tests.Calls;

/// <summary>
/// <c>Limits:MaxCalls</c> and <c>Limits:MaxCallsPerSubscriber</c> on the wire: beyond them a new INVITE gets 503 naming
/// the limit, with Retry-After, no B-leg and a CDR; the places come back exactly when calls end, however they end.
/// Each scrapes /metrics, so none runs beside another server of this process (<see cref="MetricsCollection"/>).
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class CallLimitTests
{
    [Fact]
    public async Task MaxCalls_ThirdCallGets503WhileTwoAreUp_AndPlacesComeBackAfterCancelAndFailure()
    {
        await using var h = await CallHarness.StartAsync("--Limits:MaxCalls=2");
        var first = await RingingCallAsync(h, "limit-1");
        await RingingCallAsync(h, "limit-2");

        h.Caller.Send(CallHarness.InviteFrom(h.Caller, "limit-3", "z9hG4bKlimit-3"));
        var refusal = await FinalForAsync(h.Caller, "limit-3");

        Assert.Equal(503, refusal.StatusCode);
        Assert.Equal("Call Limit Reached", refusal.ReasonPhrase);
        Assert.Equal("5", refusal.GetHeader(HeaderId.RetryAfter));

        // The first call is cancelled: its place comes back once it has ended.
        h.Caller.Send(h.CallerCancel("z9hG4bKlimit-1").Replace(h.CallId, "limit-1", StringComparison.Ordinal));
        var bCancel = await CallHarness.NextRequestAsync(h.Callee, "CANCEL");
        h.CalleeResponds(bCancel, 200, "OK");
        h.CalleeResponds(first, 487, "Request Terminated");
        Assert.Equal(487, (await FinalForAsync(h.Caller, "limit-1")).StatusCode);

        // A call that fails (busy) gives its place back too.
        var busy = await AdmittedInviteAsync(h, "limit-4");
        h.CalleeResponds(busy, 486, "Busy Here");
        Assert.Equal(486, (await FinalForAsync(h.Caller, "limit-4")).StatusCode);
        await RingingCallAsync(h, "limit-5");

        // Two up again (limit-2, limit-5): the next is refused.
        h.Caller.Send(CallHarness.InviteFrom(h.Caller, "limit-6", "z9hG4bKlimit-6"));
        Assert.Equal(503, (await FinalForAsync(h.Caller, "limit-6")).StatusCode);

        var cdrs = await CdrApi.WaitForAsync(h.Server, 4);
        Assert.Contains(cdrs, c => c is { CallId: "limit-3", Result: "limit", FinalStatus: 503 });
        Assert.Contains(cdrs, c => c is { CallId: "limit-6", Result: "limit", FinalStatus: 503 });
        var metrics = await ScrapeAsync(h.Server);
        Assert.Equal(2, metrics.Value("b2bua_limit_rejections_total", ("limit", "calls")));
        Assert.Equal(0, metrics.Value("b2bua_limit_rejections_total", ("limit", "calls_per_subscriber")));
        Assert.Equal(2, metrics.Value("b2bua_limit", ("limit", "calls")));
    }

    [Fact]
    public async Task MaxCalls_ACallWhoseCalleeNeverAnswers_GivesItsPlaceBackAtTimerB()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock, "--Limits:MaxCalls=1");

        Assert.Equal(503, (await CallLivenessTests.InviteNobodyAnswersAsync(h, clock)).StatusCode);

        // The callee has the first INVITE's retransmissions (Timer A) queued; only a new one counts.
        while (await h.Callee.ReceiveAsync(200) is not null)
        {
        }

        await AdmittedInviteAsync(h, "after-timeout");
    }

    [Fact]
    public async Task MaxCallsPerSubscriber_CountsEachAuthenticatedCallerApart()
    {
        // Loopback is not trusted here: every caller authenticates, and is counted as the subscriber it proved to be.
        await using var h = await CallHarness.StartAsync("--Routing:Trusted:0=192.0.2.1/32", "--Limits:MaxCallsPerSubscriber=1");
        using var carolPhone = new UdpSipClient(h.Server.UdpEndPoint);

        await SendAuthenticatedInviteAsync(h.Caller, "alice", "alice-1");
        CallHarness.Responds(h.Callee, await CallHarness.NextRequestAsync(h.Callee, "INVITE"), 180, "Ringing");

        await SendAuthenticatedInviteAsync(h.Caller, "alice", "alice-2");
        var refusal = await FinalForAsync(h.Caller, "alice-2");
        Assert.Equal(503, refusal.StatusCode);
        Assert.Equal("Subscriber Call Limit Reached", refusal.ReasonPhrase);

        // carol has a place of her own while alice's call is up.
        await SendAuthenticatedInviteAsync(carolPhone, "carol", "carol-1");
        var carolsBInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        Assert.Equal(1, (await ScrapeAsync(h.Server)).Value("b2bua_limit_rejections_total", ("limit", "calls_per_subscriber")));
        CallHarness.Responds(h.Callee, carolsBInvite, 486, "Busy Here");
        Assert.Equal(486, (await FinalForAsync(carolPhone, "carol-1")).StatusCode);
    }

    internal static async Task<PrometheusExposition> ScrapeAsync(ServerFixture server) =>
        PrometheusExposition.Parse(await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    /// <summary>A call from the harness's caller that reaches the callee, which rings; returns the callee's INVITE.</summary>
    private static async Task<SipMessage> RingingCallAsync(CallHarness h, string callId)
    {
        var bInvite = await AdmittedInviteAsync(h, callId);
        h.CalleeResponds(bInvite, 180, "Ringing");
        return bInvite;
    }

    private static async Task<SipMessage> AdmittedInviteAsync(CallHarness h, string callId)
    {
        h.Caller.Send(CallHarness.InviteFrom(h.Caller, callId, "z9hG4bK" + callId));
        return await CallHarness.NextRequestAsync(h.Callee, "INVITE");
    }

    /// <summary>The caller's INVITE, its 407, and the INVITE again with the credentials of <paramref name="user"/>.</summary>
    private static async Task SendAuthenticatedInviteAsync(UdpSipClient phone, string user, string callId)
    {
        string Invite(string branch, string extra, string? body = CallHarness.Sdp) =>
            CallHarness.InviteFrom(phone, callId, branch, body, extraHeaders: extra).Replace("\"Alice\" <sip:alice@", $"<sip:{user}@", StringComparison.Ordinal);

        phone.Send(Invite("z9hG4bK1" + callId, string.Empty));
        var challenge = await FinalForAsync(phone, callId);
        Assert.Equal(407, challenge.StatusCode);
        phone.Send(Invite("z9hG4bK1" + callId, string.Empty, body: null)
            .Replace("INVITE sip:", "ACK sip:", StringComparison.Ordinal)
            .Replace("CSeq: 1 INVITE", "CSeq: 1 ACK", StringComparison.Ordinal)
            .Replace("To: <sip:bob@example.test>", $"To: <sip:bob@example.test>;tag={challenge.To!.Tag}", StringComparison.Ordinal));
        var credentials = DigestClient.Answer(challenge, user, user + "-demo-pw", "INVITE", "sip:bob@example.test", header: HeaderId.ProxyAuthenticate);
        phone.Send(Invite("z9hG4bK2" + callId, $"Proxy-Authorization: {credentials}\n").Replace("CSeq: 1 INVITE", "CSeq: 2 INVITE", StringComparison.Ordinal));
    }

    /// <summary>The next final response to an INVITE of the call <paramref name="callId"/> (not a CANCEL's 200).</summary>
    private static async Task<SipMessage> FinalForAsync(UdpSipClient client, string callId)
    {
        while (true)
        {
            var message = await client.ReceiveAsync(3000) ?? throw new TimeoutException($"No final response for {callId}.");
            if (message is { IsResponse: true, StatusCode: >= 200 } && message.CallId == callId && message.CSeq?.Method == SipMethod.Invite)
            {
                return message;
            }
        }
    }
}
