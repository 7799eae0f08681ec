using System.Net;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Calls;

/// <summary>
/// Where the B-legs go, on the wire: registered contacts of equal q forked in parallel and higher q first (RFC 3261
/// §16.6), upstreams of a static route failed over only on 408/503, 3xx followed, and the caller's one answer.
/// </summary>
public sealed class CallRoutingTests
{
    [Fact]
    public async Task Fork_EqualQ_BothRing_FirstAnswerWins_AndTheOtherBranchIsCancelled()
    {
        await using var h = await CallHarness.StartAsync();
        using var phone1 = Phone(h);
        using var phone2 = Phone(h);
        await BindAsync(h, "carol", (phone1, 1000), (phone2, 1000));

        h.Caller.Send(h.Invite(user: "carol"));
        var invite1 = await CallHarness.NextRequestAsync(phone1, "INVITE");
        var invite2 = await CallHarness.NextRequestAsync(phone2, "INVITE");
        CallHarness.Responds(phone1, invite1, 180, "Ringing", toTag: "p1", user: "carol");
        CallHarness.Responds(phone2, invite2, 180, "Ringing", toTag: "p2", user: "carol");
        await CallHarness.NextResponseAsync(h.Caller, 180);
        CallHarness.Responds(phone2, invite2, 200, "OK", toTag: "p2", body: CallHarness.AnswerSdp, user: "carol");

        var answer = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        Assert.Equal(invite2.CallId, (await CallHarness.NextRequestAsync(phone2, "ACK")).CallId);
        var cancel = await CallHarness.NextRequestAsync(phone1, "CANCEL");
        Assert.Equal(invite1.TopVia!.Branch, cancel.TopVia!.Branch);
        CallHarness.Responds(phone1, cancel, 200, "OK", toTag: "p1", user: "carol");
        CallHarness.Responds(phone1, invite1, 487, "Request Terminated", toTag: "p1", user: "carol");
        await CallHarness.NextRequestAsync(phone1, "ACK");

        Assert.NotEqual(invite1.CallId, invite2.CallId);
        await HangUpAsync(h, answer, phone2, "p2");
        var cdr = await h.AssertEndedAsync("answered");
        Assert.Equal($"sip:carol@{phone2.LocalEndPoint}", cdr.GetProperty("finalTarget").GetString());
    }

    [Fact]
    public async Task Fork_BothAnswer_TheLaterAnswerIsAckedAndHungUp()
    {
        await using var h = await CallHarness.StartAsync();
        using var phone1 = Phone(h);
        using var phone2 = Phone(h);
        await BindAsync(h, "carol", (phone1, 1000), (phone2, 1000));

        h.Caller.Send(h.Invite(user: "carol"));
        var invite1 = await CallHarness.NextRequestAsync(phone1, "INVITE");
        var invite2 = await CallHarness.NextRequestAsync(phone2, "INVITE");
        CallHarness.Responds(phone1, invite1, 200, "OK", toTag: "p1", body: CallHarness.AnswerSdp, user: "carol");
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        CallHarness.Responds(phone2, invite2, 200, "OK", toTag: "p2", body: CallHarness.AnswerSdp, user: "carol");

        // A 2xx always makes a dialog: the loser's is confirmed with ACK and ended with BYE (§16.7 step 10's answer for a UAC).
        await CallHarness.NextRequestAsync(phone1, "ACK");
        Assert.Equal(invite2.CallId, (await CallHarness.NextRequestAsync(phone2, "ACK")).CallId);
        var loserBye = await CallHarness.NextRequestAsync(phone2, "BYE");
        CallHarness.Responds(phone2, loserBye, 200, "OK", toTag: "p2", user: "carol");

        await HangUpAsync(h, answer, phone1, "p1");
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task Sequential_HigherQFirst_ALowerQIsTriedOnlyAfterItFails()
    {
        await using var h = await CallHarness.StartAsync();
        using var desk = Phone(h);
        using var mobile = Phone(h);
        await BindAsync(h, "carol", (desk, 1000), (mobile, 500));

        h.Caller.Send(h.Invite(user: "carol"));
        var first = await CallHarness.NextRequestAsync(desk, "INVITE");
        Assert.Null(await mobile.ReceiveAsync(300));
        CallHarness.Responds(desk, first, 486, "Busy Here", toTag: "d1", user: "carol");

        var second = await CallHarness.NextRequestAsync(mobile, "INVITE");
        CallHarness.Responds(mobile, second, 200, "OK", toTag: "m1", body: CallHarness.AnswerSdp, user: "carol");
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        await HangUpAsync(h, answer, mobile, "m1");
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task Upstreams_503FailsOverToTheNext_AndTheCallerNeverSeesIt()
    {
        using var second = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        await using var h = await StartWithSecondUpstreamAsync(second);

        h.Caller.Send(h.Invite());
        var first = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(first, 503, "Service Unavailable");
        var failover = await CallHarness.NextRequestAsync(second, "INVITE");
        CallHarness.Responds(second, failover, 486, "Busy Here", toTag: "s1");

        Assert.Equal(486, (await h.Caller.ReceiveFinalAsync(3000)).StatusCode);
        await h.AssertEndedAsync("busy");
    }

    [Fact]
    public async Task Upstreams_ABusyUpstreamIsNotFailedOver()
    {
        using var second = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        await using var h = await StartWithSecondUpstreamAsync(second);

        h.Caller.Send(h.Invite());
        var first = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(first, 486, "Busy Here");

        Assert.Equal(486, (await h.Caller.ReceiveFinalAsync(3000)).StatusCode);
        Assert.Null(await second.ReceiveAsync(300));
        await h.AssertEndedAsync("busy");
    }

    [Fact]
    public async Task Upstreams_AllUnavailable_CallerGets503()
    {
        using var second = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        await using var h = await StartWithSecondUpstreamAsync(second);

        h.Caller.Send(h.Invite());
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "INVITE"), 503, "Service Unavailable");
        CallHarness.Responds(second, await CallHarness.NextRequestAsync(second, "INVITE"), 503, "Overloaded", toTag: "s1");

        Assert.Equal(503, (await h.Caller.ReceiveFinalAsync(3000)).StatusCode);
        await h.AssertEndedAsync("failed");
    }

    [Fact]
    public async Task Redirect_302_IsFollowed_TheNewTargetAnswersTheSameCaller()
    {
        await using var h = await CallHarness.StartAsync();
        using var carol = Phone(h);

        h.Caller.Send(h.Invite());
        var first = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        CallHarness.Responds(h.Callee, first, 302, "Moved Temporarily", contact: $"<sip:carol@{carol.LocalEndPoint}>");
        var moved = await CallHarness.NextRequestAsync(carol, "INVITE");
        CallHarness.Responds(carol, moved, 200, "OK", toTag: "c1", body: CallHarness.AnswerSdp, user: "carol");
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");

        // RFC 3261 §8.1.3.4: the Contact of the 3xx is the new Request-URI; the caller never learns it.
        Assert.Equal($"sip:carol@{carol.LocalEndPoint}", moved.RequestUri!.Raw);
        Assert.Equal(first.From!.Uri.Raw, moved.From!.Uri.Raw);
        Assert.DoesNotContain(carol.LocalEndPoint.ToString(), answer.ToString(), StringComparison.Ordinal);
        await HangUpAsync(h, answer, carol, "c1");
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task CancelBeforeAnyProvisional_ThenTheCalleeAnswers_ItIsAckedAndHungUp()
    {
        await using var h = await CallHarness.StartAsync();
        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.Caller.Send(h.CallerCancel());
        await CallHarness.NextResponseAsync(h.Caller, 487);

        // The callee never sent a provisional, so it got no CANCEL; its 200 makes a dialog we end at once.
        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp);
        await CallHarness.NextRequestAsync(h.Callee, "ACK");
        var bye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.CalleeResponds(bye, 200, "OK");
        await h.AssertEndedAsync("cancelled");
    }

    private static UdpSipClient Phone(CallHarness h) => new(h.Server.UdpEndPoint);

    /// <summary>The harness with a second upstream behind the callee on the route to "bob".</summary>
    private static async Task<CallHarness> StartWithSecondUpstreamAsync(UdpSipClient second)
    {
        var h = await CallHarness.StartAsync($"--Routing:Routes:0:Targets:1=sip:127.0.0.1:{second.LocalEndPoint.Port}");
        second.Server = h.Server.UdpEndPoint;
        return h;
    }

    /// <summary>The caller ACKs and hangs up; the phone that answered gets the BYE and confirms it.</summary>
    private static async Task HangUpAsync(CallHarness h, SipMessage answer, UdpSipClient phone, string toTag)
    {
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        var bye = await CallHarness.NextRequestAsync(phone, "BYE");
        CallHarness.Responds(phone, bye, 200, "OK", toTag: toTag, user: "carol");
    }

    /// <summary>Registrations made straight in the store: this class is about routing, the registrar has its own tests.</summary>
    private static async Task BindAsync(CallHarness h, string user, params (UdpSipClient Phone, int Q)[] phones)
    {
        var store = h.Server.Services.GetRequiredService<ILocationStore>();
        var aor = AddressOfRecord.For(user, "example.test");
        var now = DateTimeOffset.UtcNow;
        var bindings = phones.Select(p => new Binding(aor, $"sip:{user}@{p.Phone.LocalEndPoint}", p.Q, now.AddHours(1), "reg-" + user, 1, $"udp:{p.Phone.LocalEndPoint}", now)).ToList();
        await store.ApplyAsync(aor, [], bindings);
    }
}
