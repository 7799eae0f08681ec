using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureB2bua.Tests.Calls;

/// <summary>A caller and a callee on loopback around a running B2BUA that trusts loopback and routes "bob" to the callee.</summary>
public sealed class CallHarness : IAsyncDisposable
{
    public const string Sdp = "v=0\r\no=alice 1 1 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    public const string AnswerSdp = "v=0\r\no=bob 2 2 IN IP4 203.0.113.9\r\ns=-\r\nc=IN IP4 203.0.113.9\r\nt=0 0\r\nm=audio 50000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private uint _cseq = 1;

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

    public static Task<CallHarness> StartAsync(params string[] extraArgs) => StartAsync(null, null, extraArgs);

    /// <summary>
    /// With <paramref name="clock"/> as the server's <see cref="TimeProvider"/> when given, and settings of the test's
    /// own. Upstream probes are off, so that no OPTIONS mixes into what the peers receive.
    /// </summary>
    public static Task<CallHarness> StartAsync(ManualTimeProvider? clock, params string[] extraArgs) =>
        StartAsync(clock is null ? null : services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)), clock, extraArgs);

    /// <summary>With services of the test's own, such as a clock that fails on purpose.</summary>
    public static Task<CallHarness> StartAsync(Action<IServiceCollection> services, params string[] extraArgs) => StartAsync(services, null, extraArgs);

    private static async Task<CallHarness> StartAsync(Action<IServiceCollection>? services, ManualTimeProvider? clock, string[] extraArgs)
    {
        var callee = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        var server = await ServerFixture.StartAsync(
            services,
            [
                "--Routing:Trusted:0=127.0.0.0/8",
                "--Routing:Routes:0:Pattern=^bob$",
                $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{callee.LocalEndPoint.Port}",
                "--Routing:Probe:Interval=00:00:00",
                "--Sip:Timers:T1=00:00:00.2",
                "--Media:Address=127.0.0.1",

                // The harness's phones send no RTP; a test of media supervision turns it on again.
                "--Media:InactivityTimeoutSeconds=0",
                .. extraArgs,
            ]);
        callee.Server = server.UdpEndPoint;
        return new CallHarness(server, new UdpSipClient(server.UdpEndPoint), callee, clock);
    }

    /// <summary>
    /// <paramref name="received"/> is <paramref name="sent"/> as the media anchor passes it on: the same description
    /// except for our o= line, our address in c= and our ports in m=, with nothing of the sender's address left.
    /// </summary>
    public static void AssertAnchored(string sent, SipMessage received)
    {
        var body = Encoding.ASCII.GetString(received.Body);
        Assert.Equal(WithoutAddresses(sent), WithoutAddresses(body));
        Assert.Contains("c=IN IP4 127.0.0.1\r\n", body, StringComparison.Ordinal);
        Assert.StartsWith("v=0\r\no=- ", body, StringComparison.Ordinal);
        foreach (var line in sent.Split("\r\n").Where(l => l.StartsWith("c=", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line.Split(' ')[^1], body, StringComparison.Ordinal);
        }
    }

    private static string WithoutAddresses(string sdp) => string.Join("\r\n", sdp.Split("\r\n").Select(line =>
        line.StartsWith("o=", StringComparison.Ordinal) ? "o=" :
        line.StartsWith("c=", StringComparison.Ordinal) ? "c=" :
        line.StartsWith("m=", StringComparison.Ordinal) ? string.Join(' ', line.Split(' ').Select((part, i) => i == 1 ? "port" : part)) :
        line));

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

    /// <param name="body">The offer; null for an INVITE without one (late offer, RFC 3264 §4).</param>
    /// <param name="extraHeaders">Header lines, each ending in a newline, for the INVITE to carry.</param>
    public string Invite(string branch = "z9hG4bKinv", string? body = Sdp, string user = "bob", string extraHeaders = "") =>
        InviteFrom(Caller, CallId, branch, body, user, extraHeaders);

    /// <summary>The caller's INVITE as <paramref name="caller"/> sends it, also for a server no harness started (a child process).</summary>
    public static string InviteFrom(UdpSipClient caller, string callId, string branch = "z9hG4bKinv", string? body = Sdp, string user = "bob", string extraHeaders = "") =>
        $"INVITE sip:{user}@example.test SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {caller.LocalEndPoint};branch={branch};rport\n" +
        "Max-Forwards: 70\n" +
        "From: \"Alice\" <sip:alice@example.test>;tag=a1\n" +
        $"To: <sip:{user}@example.test>\n" +
        $"Call-ID: {callId}\n" +
        "CSeq: 1 INVITE\n" +
        $"Contact: <sip:alice@{caller.LocalEndPoint}>\n" +
        "Record-Route: <sip:secret-proxy.a-side.test;lr>\n" +
        extraHeaders +
        Body(body);

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

    /// <summary>A whole answered call: answered, ACKed, hung up by the caller, and its CDR written (result answered).</summary>
    public async Task AnswerAndHangUpAsync()
    {
        var (_, answer, _) = await AnswerAsync();
        Caller.Send(CallerRequest("ACK", answer, "z9hG4bKack"));
        Caller.Send(CallerRequest("BYE", answer, "z9hG4bKbye"));
        await NextResponseAsync(Caller, 200, "BYE");
        CalleeResponds(await NextRequestAsync(Callee, "BYE"), 200, "OK");
        await AssertEndedAsync("answered");
    }

    /// <summary>An in-dialog request from the caller towards the B2BUA's Contact.</summary>
    /// <param name="extraHeaders">Header lines, each ending in a newline.</param>
    /// <param name="cseq">The CSeq number; by default the next one, or for an ACK the first INVITE's.</param>
    public string CallerRequest(string method, SipMessage answer, string branch, string? body = null, string extraHeaders = "", uint? cseq = null) =>
        CallerRequestFrom(Caller, CallId, method, answer, branch, cseq ?? (method == "ACK" ? 1 : ++_cseq), body, extraHeaders);

    /// <summary>An in-dialog request of the caller <paramref name="caller"/> with CSeq <paramref name="cseq"/>, also for a server no harness started.</summary>
    public static string CallerRequestFrom(UdpSipClient caller, string callId, string method, SipMessage answer, string branch, uint cseq, string? body = null, string extraHeaders = "") =>
        $"{method} {answer.Contacts![0].Address!.Uri.Raw} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {caller.LocalEndPoint};branch={branch};rport\n" +
        "Max-Forwards: 70\n" +
        "From: \"Alice\" <sip:alice@example.test>;tag=a1\n" +
        $"To: <sip:bob@example.test>;tag={answer.To!.Tag}\n" +
        $"Call-ID: {callId}\n" +
        $"CSeq: {cseq} {method}\n" +
        $"Contact: <sip:alice@{caller.LocalEndPoint}>\n" +
        extraHeaders +
        Body(body);

    /// <summary>The CANCEL of the caller's INVITE (same branch, §9.1).</summary>
    public string CallerCancel(string branch = "z9hG4bKinv", string user = "bob") =>
        $"CANCEL sip:{user}@example.test SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {Caller.LocalEndPoint};branch={branch};rport\n" +
        "Max-Forwards: 70\n" +
        "From: \"Alice\" <sip:alice@example.test>;tag=a1\n" +
        $"To: <sip:{user}@example.test>\n" +
        $"Call-ID: {CallId}\n" +
        "CSeq: 1 CANCEL\n" +
        "Content-Length: 0\n\n";

    /// <summary>The callee answers a request it received from the B2BUA.</summary>
    /// <param name="headers">Headers of the callee's own, after its Contact.</param>
    /// <param name="contactUser">The user part of the callee's Contact (a target refresh may change it).</param>
    public void CalleeResponds(SipMessage request, int status, string reason, string toTag = "b9", string? body = null, Action<SipMessageWriter>? headers = null, string contactUser = "bob") =>
        Responds(Callee, request, status, reason, toTag, body, headers, contactUser);

    /// <summary>The caller answers a request the B2BUA sent it inside the A-leg dialog.</summary>
    public void CallerResponds(SipMessage request, int status, string reason, string? body = null, Action<SipMessageWriter>? headers = null) =>
        Responds(Caller, request, status, reason, null, body, headers, "alice");

    /// <summary>A peer answers a request it received from the B2BUA, with its own Contact (or <paramref name="contact"/>), optional SDP and headers.</summary>
    public static void Responds(
        UdpSipClient peer, SipMessage request, int status, string reason, string? toTag = "b9", string? body = null, Action<SipMessageWriter>? headers = null, string user = "bob", string? contact = null)
    {
        var response = ResponseBuilder.Create(
            request,
            status,
            reason,
            toTag,
            w =>
            {
                w.WriteHeader(HeaderId.Contact, contact ?? $"<sip:{user}@{peer.LocalEndPoint}>");
                headers?.Invoke(w);
            },
            body is null ? [] : Encoding.ASCII.GetBytes(body),
            body is null ? null : "application/sdp");
        peer.Send(response.Raw.ToArray());
    }

    /// <summary>The callee's own in-dialog request towards the B2BUA.</summary>
    public string CalleeRequest(string method, SipMessage bInvite, SipMessage bAck, uint cseq = 1, string? body = null, string contentType = "application/sdp") =>
        $"{method} {bInvite.Contacts![0].Address!.Uri.Raw} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {Callee.LocalEndPoint};branch=z9hG4bKcallee{method}{cseq};rport\n" +
        "Max-Forwards: 70\n" +
        $"From: <sip:bob@example.test>;tag=b9\n" +
        $"To: {bInvite.GetHeader(HeaderId.From)}\n" +
        $"Call-ID: {bAck.CallId}\n" +
        $"CSeq: {cseq} {method}\n" +
        $"Contact: <sip:bob@{Callee.LocalEndPoint}>\n" +
        Body(body, contentType);

    public static async Task<SipMessage> NextRequestAsync(UdpSipClient client, string method, int timeoutMs = 3000)
    {
        while (true)
        {
            var message = await client.ReceiveAsync(timeoutMs) ?? throw new TimeoutException($"No {method} arrived.");
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

    /// <summary>Once the call has ended, the admin API lists no active call and exactly its CDR (written in the background, so polled for).</summary>
    public async Task<JsonElement> AssertEndedAsync(string result)
    {
        var deadline = DateTime.UtcNow.AddSeconds(3);
        JsonElement calls, cdrs;
        while (true)
        {
            calls = await Server.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/calls", UriKind.Relative));
            cdrs = await Server.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/cdrs", UriKind.Relative));
            if ((calls.GetArrayLength() == 0 && cdrs.GetArrayLength() > 0) || DateTime.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(20);
        }

        Assert.True(calls.GetArrayLength() == 0, "still active: " + calls);
        var record = Assert.Single(cdrs.EnumerateArray());
        Assert.Equal(result, record.GetProperty("result").GetString());
        Assert.Equal(CallId, record.GetProperty("callId").GetString());
        return record;
    }

    /// <summary>The state the admin API shows for the one active call.</summary>
    public async Task<string> ActiveCallStateAsync()
    {
        var calls = await Server.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/calls", UriKind.Relative));
        return Assert.Single(calls.EnumerateArray()).GetProperty("state").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Probe.Dispose();
        Caller.Dispose();
        Callee.Dispose();
        await Server.DisposeAsync();
    }

    private static string Body(string? body, string contentType = "application/sdp") =>
        body is null ? "Content-Length: 0\n\n" : $"Content-Type: {contentType}\nContent-Length: {Encoding.ASCII.GetByteCount(body)}\n\n{body}";
}
