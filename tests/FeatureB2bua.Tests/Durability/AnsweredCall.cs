using System.Net;
using System.Text;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Durability;

/// <summary>
/// A caller and a callee phone with a call answered through a server (any process), after which the callee re-INVITEs
/// with a new Contact: the B2BUA relays it to the caller, so our next CSeq on the A-leg is 2 and the B-leg's target is
/// the new Contact. Each phone then checks that a BYE it receives belongs to its dialog as RFC 3261 §12.2.1.1 says.
/// </summary>
internal sealed class AnsweredCall : IDisposable
{
    private const string MovedUser = "bob-moved";

    // A new version of the callee's description: an unchanged one would be a session refresh, answered without the caller.
    private static readonly string NewOffer = CallHarness.AnswerSdp.Replace("2 2 IN", "2 3 IN", StringComparison.Ordinal);

    private AnsweredCall(UdpSipClient caller, UdpSipClient callee, string callId)
    {
        Caller = caller;
        Callee = callee;
        CallId = callId;
    }

    public UdpSipClient Caller { get; }

    public UdpSipClient Callee { get; }

    /// <summary>The caller's Call-ID: the CDR's and the log scope's.</summary>
    public string CallId { get; }

    /// <summary>Our 200 to the caller: its To tag is ours on the A-leg.</summary>
    public SipMessage Answer { get; private set; } = null!;

    /// <summary>Our INVITE to the callee: the B-leg's Call-ID and our From tag.</summary>
    public SipMessage BInvite { get; private set; } = null!;

    /// <summary>Through the server on UDP port <paramref name="serverPort"/>, which routes <c>bob</c> to <paramref name="calleePort"/>'s phone.</summary>
    public static async Task<AnsweredCall> StartAsync(int serverPort, UdpSipClient callee)
    {
        var server = new IPEndPoint(IPAddress.Loopback, serverPort);
        callee.Server = server;
        var call = new AnsweredCall(new UdpSipClient(server), callee, "ghost-" + Guid.NewGuid().ToString("N"));
        await call.AnswerAsync();
        return call;
    }

    private async Task AnswerAsync()
    {
        Caller.Send(CallHarness.InviteFrom(Caller, CallId));
        BInvite = await CallHarness.NextRequestAsync(Callee, "INVITE");
        CallHarness.Responds(Callee, BInvite, 200, "OK", body: CallHarness.AnswerSdp);
        Answer = await CallHarness.NextResponseAsync(Caller, 200, "INVITE");
        Caller.Send(CallHarness.CallerRequestFrom(Caller, CallId, "ACK", Answer, "z9hG4bKack", 1));
        await CallHarness.NextRequestAsync(Callee, "ACK");

        // The callee's re-INVITE, a target refresh (§12.2.2), relayed to the caller as our first request on the A-leg.
        Callee.Send(
            $"INVITE {BInvite.Contacts![0].Address!.Uri.Raw} SIP/2.0\n" +
            $"Via: SIP/2.0/UDP {Callee.LocalEndPoint};branch=z9hG4bKre{CallId};rport\n" +
            "Max-Forwards: 70\n" +
            "From: <sip:bob@example.test>;tag=b9\n" +
            $"To: {BInvite.GetHeader(HeaderId.From)}\n" +
            $"Call-ID: {BInvite.CallId}\n" +
            "CSeq: 1 INVITE\n" +
            $"Contact: <sip:{MovedUser}@{Callee.LocalEndPoint}>\n" +
            "Content-Type: application/sdp\n" +
            $"Content-Length: {Encoding.ASCII.GetByteCount(NewOffer)}\n\n" +
            NewOffer);
        var relayed = await CallHarness.NextRequestAsync(Caller, "INVITE");
        Assert.Equal(1u, relayed.CSeq!.Number);
        CallHarness.Responds(Caller, relayed, 200, "OK", toTag: null, body: CallHarness.Sdp, user: "alice");
        var accepted = await CallHarness.NextResponseAsync(Callee, 200, "INVITE");
        await CallHarness.NextRequestAsync(Caller, "ACK");
        Callee.Send(
            $"ACK {BInvite.Contacts![0].Address!.Uri.Raw} SIP/2.0\n" +
            $"Via: SIP/2.0/UDP {Callee.LocalEndPoint};branch=z9hG4bKreack{CallId};rport\n" +
            "Max-Forwards: 70\n" +
            $"From: <sip:bob@example.test>;tag=b9\n" +
            $"To: {accepted.GetHeader(HeaderId.To)}\n" +
            $"Call-ID: {BInvite.CallId}\n" +
            "CSeq: 1 ACK\n" +
            "Content-Length: 0\n\n");
    }

    /// <summary>
    /// A call to nobody, refused only once its CDR is committed: the journal entries queued before it (this call's
    /// legs after the re-INVITE) are committed too, so a kill from now on finds them in the store.
    /// </summary>
    public async Task FlushJournalAsync()
    {
        using var probe = new UdpSipClient(Caller.Server);
        probe.Send(CallHarness.InviteFrom(probe, "flush-" + Guid.NewGuid().ToString("N"), user: "nobody"));
        Assert.InRange((await probe.ReceiveFinalAsync(5000)).StatusCode, 400, 699);
    }

    /// <summary>The caller's BYE: in the A-leg dialog, at the caller's Contact through its Record-Route, CSeq 2 (1 went to the re-INVITE); answered 200 where its Via says (§18.2.2), the node that sent it.</summary>
    public async Task<SipMessage> CallerGetsByeAsync(string viaSentBy, int timeoutMs)
    {
        var bye = await CallHarness.NextRequestAsync(Caller, "BYE", timeoutMs);
        Assert.Equal($"sip:alice@{Caller.LocalEndPoint}", bye.RequestUri!.Raw);
        Assert.Equal(["<sip:secret-proxy.a-side.test;lr>"], bye.GetValues(HeaderId.Route));
        Assert.Equal(CallId, bye.CallId);
        Assert.Equal($"<sip:bob@example.test>;tag={Answer.To!.Tag}", bye.GetHeader(HeaderId.From));
        Assert.Equal("\"Alice\" <sip:alice@example.test>;tag=a1", bye.GetHeader(HeaderId.To));
        Assert.Equal("2 BYE", bye.GetHeader(HeaderId.CSeq));
        Assert.Equal(viaSentBy, bye.TopVia!.SentBy);
        Assert.True(bye.TopVia.IsRfc3261Branch);
        Caller.Server = IPEndPoint.Parse(viaSentBy);
        CallHarness.Responds(Caller, bye, 200, "OK", toTag: null, user: "alice");
        return bye;
    }

    /// <summary>The callee's BYE: in the B-leg dialog, at the Contact its re-INVITE gave, CSeq 2 (after our INVITE's 1); answered 200.</summary>
    public async Task<SipMessage> CalleeGetsByeAsync(string viaSentBy, int timeoutMs)
    {
        var bye = await CallHarness.NextRequestAsync(Callee, "BYE", timeoutMs);
        Assert.Equal($"sip:{MovedUser}@{Callee.LocalEndPoint}", bye.RequestUri!.Raw);
        Assert.False(bye.HasHeader(HeaderId.Route));
        Assert.Equal(BInvite.CallId, bye.CallId);
        Assert.Equal(BInvite.GetHeader(HeaderId.From), bye.GetHeader(HeaderId.From));
        Assert.Equal("<sip:bob@example.test>;tag=b9", bye.GetHeader(HeaderId.To));
        Assert.Equal("2 BYE", bye.GetHeader(HeaderId.CSeq));
        Assert.Equal(viaSentBy, bye.TopVia!.SentBy);
        Callee.Server = IPEndPoint.Parse(viaSentBy);
        CallHarness.Responds(Callee, bye, 200, "OK", toTag: null);
        return bye;
    }

    /// <summary>For <paramref name="timeoutMs"/>, neither phone is sent a BYE (or anything else but a retransmission of what came before).</summary>
    public async Task AssertNoByeAsync(int timeoutMs)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        foreach (var phone in (UdpSipClient[])[Caller, Callee])
        {
            while (await phone.ReceiveAsync(Math.Max(1, (int)(until - DateTime.UtcNow).TotalMilliseconds)) is { } message)
            {
                Assert.False(message is { IsRequest: true, MethodName: "BYE" }, $"a BYE for {message.CallId}");
            }
        }
    }

    /// <summary>The caller hangs up; the callee answers our BYE. The caller's 200 comes once the CDR is committed.</summary>
    public async Task HangUpAsync()
    {
        Caller.Send(CallHarness.CallerRequestFrom(Caller, CallId, "BYE", Answer, "z9hG4bKbye" + CallId, 2));
        CallHarness.Responds(Callee, await CallHarness.NextRequestAsync(Callee, "BYE"), 200, "OK", toTag: null);
        await CallHarness.NextResponseAsync(Caller, 200, "BYE");
    }

    public void Dispose() => Caller.Dispose();
}
