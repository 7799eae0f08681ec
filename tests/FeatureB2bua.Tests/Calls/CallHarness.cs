using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Calls;

/// <summary>A caller and a callee on loopback around a running B2BUA that trusts loopback and routes "bob" to the callee.</summary>
public sealed class CallHarness : IAsyncDisposable
{
    public const string Sdp = "v=0\r\no=alice 1 1 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    public const string AnswerSdp = "v=0\r\no=bob 2 2 IN IP4 203.0.113.9\r\ns=-\r\nc=IN IP4 203.0.113.9\r\nt=0 0\r\nm=audio 50000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private int _cseq = 1;

    private CallHarness(ServerFixture server, UdpSipClient caller, UdpSipClient callee, ManualTimeProvider? clock)
    {
        Server = server;
        Caller = caller;
        Callee = callee;
        Clock = clock;
        Probe = new UdpSipClient(server.UdpEndPoint);
    }

    public ServerFixture Server { get; }

    public UdpSipClient Caller { get; }

    public UdpSipClient Callee { get; }

    /// <summary>The server's clock when the harness was started with one: its timers move only on <see cref="ManualTimeProvider.Advance"/>.</summary>
    public ManualTimeProvider? Clock { get; }

    /// <summary>A third phone that only pings, for <see cref="SettleAsync"/>.</summary>
    private UdpSipClient Probe { get; }

    public string CallId { get; } = "a-" + Guid.NewGuid().ToString("N");

    public static Task<CallHarness> StartAsync() => StartAsync(null);

    /// <summary>With <paramref name="clock"/> as the server's <see cref="TimeProvider"/> when given, and settings of the test's own.</summary>
    public static async Task<CallHarness> StartAsync(ManualTimeProvider? clock, params string[] extraArgs)
    {
        var callee = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        var server = await ServerFixture.StartAsync(
            clock is null ? null : services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
            [
                "--Routing:Trusted:0=127.0.0.0/8",
                "--Routing:Routes:0:Pattern=^bob$",
                $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{callee.LocalEndPoint.Port}",
                "--Sip:Timers:T1=00:00:00.2",
                .. extraArgs,
            ]);
        callee.Server = server.UdpEndPoint;
        return new CallHarness(server, new UdpSipClient(server.UdpEndPoint), callee, clock);
    }

    /// <summary>
    /// Returns once the server has handled every datagram sent to it before: its one UDP socket is read in order
    /// and each datagram handled before the next, so the answer to a later OPTIONS proves it. A test calls this
    /// before advancing the clock past something the server must have seen (an ACK, a response).
    /// </summary>
    public async Task SettleAsync()
    {
        Probe.Send(SipText.Request("OPTIONS", branch: "z9hG4bK" + Guid.NewGuid().ToString("N"), callId: Guid.NewGuid().ToString("N"), via: Probe.LocalEndPoint.ToString()));
        await NextResponseAsync(Probe, 200, "OPTIONS");
    }

    /// <param name="extraHeaders">Header lines, each ending in a newline, for the INVITE to carry.</param>
    public string Invite(string branch = "z9hG4bKinv", string body = Sdp, string extraHeaders = "") =>
        "INVITE sip:bob@example.test SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {Caller.LocalEndPoint};branch={branch};rport\n" +
        "Max-Forwards: 70\n" +
        "From: \"Alice\" <sip:alice@example.test>;tag=a1\n" +
        "To: <sip:bob@example.test>\n" +
        $"Call-ID: {CallId}\n" +
        "CSeq: 1 INVITE\n" +
        $"Contact: <sip:alice@{Caller.LocalEndPoint}>\n" +
        "Record-Route: <sip:secret-proxy.a-side.test;lr>\n" +
        extraHeaders +
        "Content-Type: application/sdp\n" +
        $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\n\n" + body;

    /// <summary>The caller's INVITE answered straight away by the callee: returns what each side saw, after the B2BUA's ACK to the callee.</summary>
    public async Task<(SipMessage BInvite, SipMessage Answer, SipMessage BAck)> AnswerAsync()
    {
        Caller.Send(Invite());
        var bInvite = await NextRequestAsync(Callee, "INVITE");
        CalleeResponds(bInvite, 200, "OK", body: AnswerSdp);
        var answer = await NextResponseAsync(Caller, 200);
        var bAck = await NextRequestAsync(Callee, "ACK");
        return (bInvite, answer, bAck);
    }

    /// <summary>An in-dialog request from the caller towards the B2BUA's Contact.</summary>
    /// <param name="ackOf">For an ACK, the CSeq number of the INVITE it acknowledges (the first one by default).</param>
    /// <param name="extraHeaders">Header lines, each ending in a newline.</param>
    public string CallerRequest(string method, SipMessage answer, string branch, uint ackOf = 1, string? body = null, string extraHeaders = "") =>
        $"{method} {answer.Contacts![0].Address!.Uri.Raw} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {Caller.LocalEndPoint};branch={branch};rport\n" +
        "Max-Forwards: 70\n" +
        "From: \"Alice\" <sip:alice@example.test>;tag=a1\n" +
        $"To: <sip:bob@example.test>;tag={answer.To!.Tag}\n" +
        $"Call-ID: {CallId}\n" +
        $"CSeq: {(method == "ACK" ? ackOf : ++_cseq)} {method}\n" +
        $"Contact: <sip:alice@{Caller.LocalEndPoint}>\n" +
        extraHeaders +
        (body is null ? "Content-Length: 0\n\n" : $"Content-Type: application/sdp\nContent-Length: {Encoding.ASCII.GetByteCount(body)}\n\n{body}");

    /// <summary>The CANCEL of the caller's INVITE (same branch, §9.1).</summary>
    public string CallerCancel(string branch = "z9hG4bKinv") =>
        "CANCEL sip:bob@example.test SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {Caller.LocalEndPoint};branch={branch};rport\n" +
        "Max-Forwards: 70\n" +
        "From: \"Alice\" <sip:alice@example.test>;tag=a1\n" +
        "To: <sip:bob@example.test>\n" +
        $"Call-ID: {CallId}\n" +
        "CSeq: 1 CANCEL\n" +
        "Content-Length: 0\n\n";

    /// <summary>The callee answers a request it received from the B2BUA.</summary>
    /// <param name="headers">Headers of the callee's own, after its Contact.</param>
    /// <param name="contactUser">The user part of the callee's Contact (a target refresh may change it).</param>
    public void CalleeResponds(SipMessage request, int status, string reason, string toTag = "b9", string? body = null, Action<SipMessageWriter>? headers = null, string contactUser = "bob") =>
        Respond(Callee, contactUser, request, status, reason, toTag, body, headers);

    /// <summary>The caller answers a request the B2BUA sent it inside the A-leg dialog.</summary>
    public void CallerResponds(SipMessage request, int status, string reason, string? body = null, Action<SipMessageWriter>? headers = null) =>
        Respond(Caller, "alice", request, status, reason, null, body, headers);

    /// <summary>The callee's own in-dialog request (BYE) towards the B2BUA.</summary>
    public string CalleeRequest(string method, SipMessage bInvite, SipMessage bAck) =>
        $"{method} {bInvite.Contacts![0].Address!.Uri.Raw} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {Callee.LocalEndPoint};branch=z9hG4bKcallee{method};rport\n" +
        "Max-Forwards: 70\n" +
        $"From: <sip:bob@example.test>;tag=b9\n" +
        $"To: {bInvite.GetHeader(HeaderId.From)}\n" +
        $"Call-ID: {bAck.CallId}\n" +
        $"CSeq: 1 {method}\n" +
        "Content-Length: 0\n\n";

    public static async Task<SipMessage> NextRequestAsync(UdpSipClient client, string method)
    {
        while (true)
        {
            var message = await client.ReceiveAsync(3000) ?? throw new TimeoutException($"No {method} arrived.");
            if (message.IsRequest && message.MethodName == method)
            {
                return message;
            }
        }
    }

    /// <param name="method">The CSeq method to wait for, when a retransmitted 2xx of the INVITE may come first.</param>
    public static async Task<SipMessage> NextResponseAsync(UdpSipClient client, int status, string? method = null)
    {
        while (true)
        {
            var message = await client.ReceiveAsync(3000) ?? throw new TimeoutException($"No {status} arrived.");
            if (message.IsResponse && message.StatusCode == status && (method is null || message.CSeq?.MethodName == method))
            {
                return message;
            }
        }
    }

    private static void Respond(UdpSipClient client, string user, SipMessage request, int status, string reason, string? toTag, string? body, Action<SipMessageWriter>? headers)
    {
        var response = ResponseBuilder.Create(
            request,
            status,
            reason,
            toTag,
            w =>
            {
                w.WriteHeader(HeaderId.Contact, $"<sip:{user}@{client.LocalEndPoint}>");
                headers?.Invoke(w);
            },
            body is null ? [] : Encoding.ASCII.GetBytes(body),
            body is null ? null : "application/sdp");
        client.Send(response.Raw.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        Probe.Dispose();
        Caller.Dispose();
        Callee.Dispose();
        await Server.DisposeAsync();
    }
}
