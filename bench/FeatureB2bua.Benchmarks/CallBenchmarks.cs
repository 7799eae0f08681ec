using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Features;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Routing;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Stack;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureB2bua.Benchmarks;

/// <summary>
/// One whole call through the stack and the call core, in process, no sockets: the caller's INVITE enters at
/// <see cref="SipStack.OnPacket"/>, the B-leg INVITE comes out of a fake transport and is answered 200 with SDP,
/// the caller ACKs and hangs up, the callee answers the BYE. Then the clock (manual) moves 64 s so every
/// transaction's timers fire and the transactions go, as on a server. <see cref="ActiveCalls"/> calls are kept
/// up in the registry beside it, as on a loaded server with a hold time. The harness parses what it must answer
/// (B-leg INVITE and BYE, the 200 to the caller) and writes the caller's ACK and BYE: that part is in the
/// figures too and is the same before and after any change to the server.
/// Stands in for <c>SipServerCore</c> with the few lines of it a basic call uses (no authentication: trusted caller).
/// </summary>
[MemoryDiagnoser]
public class CallBenchmarks
{
    private static readonly IPEndPoint Caller = new(IPAddress.Loopback, 5090);
    private static readonly IPEndPoint Callee = new(IPAddress.Loopback, 5080);
    private static readonly byte[] AnswerSdp = Encoding.ASCII.GetBytes(
        "v=0\r\no=bob 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 50000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");

    private readonly ManualTimeProvider _clock = new();
    private FakeTransport _transport = null!;
    private SipStack _stack = null!;
    private CallRegistry _calls = null!;
    private byte[] _invite = null!;
    private int _call;

    [Params(0, 3000)]
    public int ActiveCalls { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _transport = new FakeTransport();
        _stack = new SipStack([_transport], _clock, new SipTimerOptions(), new SipMetrics(), NullLoggerFactory.Instance);
        var routing = new RoutingOptions { Trusted = ["127.0.0.0/8"], Routes = [new RouteOptions { Pattern = "^service$", Targets = ["sip:127.0.0.1:5080"] }] };
        var health = new UpstreamHealth(routing, _clock);
        var domain = new LocalDomain("bench.test", []);
        var router = new CallRouter(new NoBindings(), routing, domain, _clock, health);
        _calls = new CallRegistry(new CallEnvironment(
            _stack.Transactions,
            protocol => _stack.SentBy(protocol),
            router,
            new CallFeatureChain(new FeatureOptions(), []),
            new SubscriberLookup(new NoSubscribers(), domain),
            new CallPresence(),
            _clock,
            new SipTimerOptions(),
            new CallOptions(),
            new NoRecords(),
            PassThroughMedia.Instance,
            new CallMetrics(),
            NullLogger.Instance));
        _stack.Start(new MinimalCore(_calls));
        _invite = Invite("bench-call", "z9hG4bKbench");

        // Calls that stay up beside the measured one: answered and ACKed, never hung up.
        for (var i = 0; i < ActiveCalls; i++)
        {
            var callId = "held-" + i;
            Deliver(Invite(callId, "z9hG4bKheld" + i), Caller);
            var bInvite = _transport.TakeTo(Callee, "INVITE ");
            Deliver(Response(bInvite, AnswerSdp), Callee);
            var answer = _transport.TakeTo(Caller, "SIP/2.0 200");
            Deliver(InDialog("ACK", answer, callId, 1, "z9hG4bKheldack" + i), Caller);
            _transport.Clear();
        }

        _clock.Advance(TimeSpan.FromSeconds(64));
        _transport.Clear();
        if (_calls.ActiveCount != ActiveCalls)
        {
            throw new InvalidOperationException($"{_calls.ActiveCount} calls up, expected {ActiveCalls}.");
        }

        Call();
        if (_calls.ActiveCount != ActiveCalls)
        {
            throw new InvalidOperationException("The measured call did not end.");
        }
    }

    /// <summary>INVITE..BYE of one call, both legs, with every transaction's end.</summary>
    [Benchmark]
    public void Call()
    {
        // The caller's Call-ID and branches may repeat: the previous call and its transactions are gone.
        Deliver(_invite, Caller);
        var bInvite = _transport.TakeTo(Callee, "INVITE ");
        Deliver(Response(bInvite, AnswerSdp), Callee);
        var answer = _transport.TakeTo(Caller, "SIP/2.0 200");
        Deliver(InDialog("ACK", answer, "bench-call", 1, "z9hG4bKbenchack"), Caller);
        Deliver(InDialog("BYE", answer, "bench-call", 2, "z9hG4bKbenchbye"), Caller);
        var bBye = _transport.TakeTo(Callee, "BYE ");
        Deliver(Response(bBye, []), Callee);
        _transport.Clear();
        _clock.Advance(TimeSpan.FromSeconds(64));
        _call++;
    }

    private void Deliver(byte[] datagram, IPEndPoint from) =>
        _stack.OnPacket(new ReceivedPacket(datagram, TransportProtocol.Udp, from, _transport.LocalEndPoint, null));

    /// <summary>A SIPp-style INVITE with SDP, as the peers' uac.xml sends it.</summary>
    internal static byte[] Invite(string callId, string branch) => Encoding.ASCII.GetBytes(
        "INVITE sip:service@127.0.0.1:5080 SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:5090;branch={branch}\r\n" +
        "From: \"sipp\" <sip:sipp@127.0.0.1:5090>;tag=1SIPpTag001\r\n" +
        "To: <sip:service@127.0.0.1:5080>\r\n" +
        $"Call-ID: {callId}\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: <sip:sipp@127.0.0.1:5090>\r\n" +
        "Max-Forwards: 70\r\n" +
        "Subject: Performance Test\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 129\r\n\r\n" +
        "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");

    private static byte[] InDialog(string method, SipMessage answer, string callId, int cseq, string branch) => Encoding.ASCII.GetBytes(
        $"{method} {answer.Contacts![0].Address!.Uri.Raw} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:5090;branch={branch}\r\n" +
        "From: \"sipp\" <sip:sipp@127.0.0.1:5090>;tag=1SIPpTag001\r\n" +
        $"To: <sip:service@127.0.0.1:5080>;tag={answer.To!.Tag}\r\n" +
        $"Call-ID: {callId}\r\n" +
        $"CSeq: {cseq} {method}\r\n" +
        "Contact: <sip:sipp@127.0.0.1:5090>\r\n" +
        "Max-Forwards: 70\r\n" +
        "Content-Length: 0\r\n\r\n");

    private static byte[] Response(SipMessage request, byte[] sdp) =>
        ResponseBuilder.Create(request, 200, "OK", "callee1", w => w.WriteHeader(HeaderId.Contact, "<sip:service@127.0.0.1:5080>"),
            sdp, sdp.Length > 0 ? "application/sdp" : null).Raw.ToArray();

    private sealed class FakeTransport : ISipTransport
    {
        private readonly List<(IPEndPoint To, byte[] Data)> _sent = [];

        public TransportProtocol Protocol => TransportProtocol.Udp;

        public ListenPoint ListenPoint { get; } = ListenPoint.Parse("udp:127.0.0.1:5072");

        public IPEndPoint LocalEndPoint => ListenPoint.EndPoint;

        public void Start(IPacketSink sink)
        {
        }

        public ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> data, IPEndPoint remote, IStreamConnection? preferred = null, CancellationToken cancellationToken = default)
        {
            // Only what the harness must answer is kept (a copy, as a socket would have taken one).
            var span = data.Span;
            if (span.StartsWith("INVITE "u8) || span.StartsWith("BYE "u8) || span.StartsWith("SIP/2.0 200"u8))
            {
                _sent.Add((remote, span.ToArray()));
            }

            return new(SendResult.Sent);
        }

        public SipMessage TakeTo(IPEndPoint to, string start)
        {
            var prefix = Encoding.ASCII.GetBytes(start);
            var index = _sent.FindIndex(s => s.To.Equals(to) && s.Data.AsSpan().StartsWith(prefix));
            if (index < 0)
            {
                throw new InvalidOperationException($"Nothing starting '{start}' was sent to {to}.");
            }

            var data = _sent[index].Data;
            _sent.RemoveAt(index);
            return SipParser.Parse(data, out _)!;
        }

        public void Clear() => _sent.Clear();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>What <c>SipServerCore</c> does for a trusted caller's basic call.</summary>
    private sealed class MinimalCore(CallRegistry calls) : ITransactionUser
    {
        public void OnRequest(ServerTransaction transaction, SipMessage request)
        {
            if (request.To?.Tag is not null)
            {
                calls.FindByCallId(request.CallId)!.OnInDialogRequest(transaction, request);
            }
            else if (request.Method == SipMethod.Invite)
            {
                calls.Start(transaction);
            }
        }

        public void OnAck(SipMessage ack) => calls.FindByCallId(ack.CallId)?.OnAck(ack);

        public void OnStrayResponse(SipMessage response) => calls.FindByCallId(response.CallId)?.OnStrayResponse(response);

        public void OnServerTimeout(ServerTransaction transaction)
        {
        }
    }

    private sealed class NoBindings : ILocationStore
    {
        private static readonly Task<IReadOnlyList<Binding>> None = Task.FromResult<IReadOnlyList<Binding>>([]);

        public Task<IReadOnlyList<Binding>> GetBindingsAsync(string aor, DateTimeOffset now, CancellationToken cancellationToken = default) => None;

        public Task<IReadOnlyList<Binding>> ListAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => None;

        public Task ApplyAsync(string aor, IReadOnlyCollection<string> removeContacts, IReadOnlyCollection<Binding> upserts, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<int> RemoveAllAsync(string aor, CancellationToken cancellationToken = default) => Task.FromResult(0);

        public Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(0);

        public Task<int> CountAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(0);
    }

    private sealed class NoRecords : ICallRecordSink
    {
        public Task Journal(OpenCall call) => Task.CompletedTask;

        public Task Write(CallRecord record) => Task.CompletedTask;
    }
}
