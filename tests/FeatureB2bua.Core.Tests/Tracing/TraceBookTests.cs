using System.Net;
using System.Text;
using FeatureB2bua.Core.Tracing;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Core.Tests.Tracing;

/// <summary>The trace as the stack and the calls feed it (through the queue) and the console reads it.</summary>
public sealed class TraceBookTests
{
    private static readonly IPEndPoint Us = new(IPAddress.Loopback, 5060);
    private static readonly IPEndPoint Alice = new(IPAddress.Loopback, 5070);
    private static readonly IPEndPoint Bob = new(IPAddress.Loopback, 5080);
    private readonly ManualTimeProvider _clock = new();
    private readonly TraceMetrics _metrics = new();
    private readonly SipTraceQueue _queue;
    private TraceBook _book = new(200, 200);

    public TraceBookTests() => _queue = new SipTraceQueue(1024, _clock, _metrics);

    [Fact]
    public void ACall_ListsBothLegsInOrder_WithDirectionsAndOffsets()
    {
        _queue.Received(Invite("a1"), TransportProtocol.Udp, Us, Alice);
        _queue.Started("a1", "sip:alice@example.test", "sip:bob@example.test");
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        _queue.Sent(Response("a1", 100, "Trying", "INVITE"), TransportProtocol.Udp, Us, Alice);
        _queue.BranchStarted("a1", "b1", "sip:bob@127.0.0.1:5080", forwarded: false);
        _queue.Sent(Invite("b1"), TransportProtocol.Udp, Us, Bob);
        _clock.Advance(TimeSpan.FromMilliseconds(20));
        _queue.Received(Response("b1", 180, "Ringing", "INVITE"), TransportProtocol.Udp, Us, Bob);
        FileAll();

        var trace = _book.Find("a1")!;
        Assert.Equal(["A", "B1"], trace.Legs.Select(l => l.Id));
        Assert.Equal("127.0.0.1:5070", trace.Legs[0].Peer);
        Assert.Equal(("127.0.0.1:5080", "sip:bob@127.0.0.1:5080", "B-party"), (trace.Legs[1].Peer, trace.Legs[1].Target, trace.Legs[1].Label));
        Assert.Equal(
            ["0 A in INVITE 1 INVITE", "1 A out 100 Trying 1 INVITE", "2 B1 out INVITE 1 INVITE", "3 B1 in 180 Ringing 1 INVITE"],
            trace.Messages.Select(m => $"{m.Seq} {m.Leg} {m.Direction} {m.Label} {m.CSeq}"));
        Assert.Equal(TimeSpan.FromMilliseconds(25), trace.Messages[3].At - trace.Messages[0].At);
        Assert.Equal(("UDP", "127.0.0.1:5060", "127.0.0.1:5080"), (trace.Messages[2].Transport, trace.Messages[2].Local, trace.Messages[2].Remote));
        Assert.Null(_book.Find("b1"));
    }

    [Fact]
    public void AChallengedInvite_BelongsToTheCallThatFollows_ARegisterToNoCall()
    {
        _queue.Received(Invite("a1"), TransportProtocol.Udp, Us, Alice);
        _queue.Sent(Response("a1", 407, "Proxy Authentication Required", "INVITE"), TransportProtocol.Udp, Us, Alice);
        _queue.Received(Request("ACK", "a1"), TransportProtocol.Udp, Us, Alice);
        _queue.Received(Request("REGISTER", "r1"), TransportProtocol.Udp, Us, Alice);
        _queue.Received(Invite("a1", 2), TransportProtocol.Udp, Us, Alice);
        FileAll();
        Assert.Empty(_book.List());

        _queue.Started("a1", "sip:alice@example.test", "sip:bob@example.test");
        FileAll();

        Assert.Equal(["INVITE", "407 Proxy Authentication Required", "ACK", "INVITE"], _book.Find("a1")!.Messages.Select(m => m.Label));
        Assert.Null(_book.Find("r1"));
    }

    [Fact]
    public void ForwardedLegs_GetColumnsOfTheirOwn()
    {
        StartCall("a1");
        _queue.BranchStarted("a1", "b1", "sip:bob@example.test", forwarded: false);
        _queue.Sent(Invite("b1"), TransportProtocol.Udp, Us, Bob);
        _queue.Received(Response("b1", 486, "Busy Here", "INVITE"), TransportProtocol.Udp, Us, Bob);
        _queue.BranchStarted("a1", "b2", "sip:carol@example.test", forwarded: true);
        _queue.Sent(Invite("b2"), TransportProtocol.Tcp, Us, Alice);
        FileAll();

        var trace = _book.Find("a1")!;
        Assert.Equal(["A:A-party", "B1:B-party", "B2:Forwarded"], trace.Legs.Select(l => $"{l.Id}:{l.Label}"));
        Assert.Equal(["A", "B1", "B1", "B2"], trace.Messages.Select(m => m.Leg));
        Assert.Equal("TCP", trace.Messages[^1].Transport);
    }

    [Fact]
    public void AcallKeepsItsFirstAndLatestMessages_UpToItsBound_AndCountsThemAll()
    {
        _book = new TraceBook(200, 4);
        StartCall("a1");
        for (var i = 2; i <= 10; i++)
        {
            _queue.Received(Request("INFO", "a1", i), TransportProtocol.Udp, Us, Alice);
        }

        FileAll();

        var trace = _book.Find("a1")!;
        Assert.Equal([0L, 1, 8, 9], trace.Messages.Select(m => m.Seq));
        Assert.Equal(10, trace.Summary.Messages);
    }

    [Fact]
    public void TheOldestEndedCallGoesFirst_ACallInProgressNever()
    {
        _book = new TraceBook(2, 200);
        StartCall("running");
        StartCall("started-first");
        StartCall("ended-first");
        _queue.Ended("ended-first", "answered");
        _queue.Ended("started-first", "busy");
        StartCall("third");
        _queue.Ended("third", "cancelled");
        FileAll();

        Assert.Null(_book.Find("ended-first"));
        Assert.Equal(["third", "started-first", "running"], _book.List().Select(t => t.CallId));
        Assert.Equal([null, "busy", "cancelled"], _book.List().Select(t => t.Result).Reverse());

        for (var i = 0; i < 5; i++)
        {
            StartCall("more" + i);
            _queue.Ended("more" + i, "answered");
        }

        FileAll();
        Assert.Equal(["more4", "more3", "running"], _book.List().Select(t => t.CallId));
        Assert.NotNull(_book.Find("running"));
    }

    [Fact]
    public void AFullQueue_DropsItsOldestMessages_CountsThem_AndKeepsTheCallEvents()
    {
        using var dropped = new MeterRecorder(_metrics.Meter);
        var queue = new SipTraceQueue(16, _clock, _metrics);
        queue.Received(Invite("a1"), TransportProtocol.Udp, Us, Alice);
        queue.Started("a1", "sip:alice@example.test", "sip:bob@example.test");
        for (var i = 2; i <= 21; i++)
        {
            queue.Received(Request("INFO", "a1", i), TransportProtocol.Udp, Us, Alice);
        }

        queue.Ended("a1", "answered");
        FileAll(queue);

        Assert.Equal(6, dropped.Total("b2bua_trace_dropped"));
        var trace = _book.Find("a1")!;
        Assert.Equal("answered", trace.Summary.Result);
        Assert.Equal(15, trace.Summary.Messages);
        Assert.Equal("7 INFO", trace.Messages[0].CSeq);
    }

    private void StartCall(string callId)
    {
        _queue.Received(Invite(callId), TransportProtocol.Udp, Us, Alice);
        _queue.Started(callId, "sip:alice@example.test", "sip:bob@example.test");
        _clock.Advance(TimeSpan.FromSeconds(1));
    }

    private void FileAll(SipTraceQueue? queue = null)
    {
        queue ??= _queue;
        while (queue.Reader.TryRead(out var entry))
        {
            while (queue.TryTakeRescued(out var rescued))
            {
                _book.File(rescued);
            }

            _book.File(entry);
            SipTraceQueue.Release(entry);
        }

        while (queue.TryTakeRescued(out var rescued))
        {
            _book.File(rescued);
        }
    }

    private static byte[] Invite(string callId, int cseq = 1) => Request("INVITE", callId, cseq);

    private static byte[] Request(string method, string callId, int cseq = 1) => Encoding.ASCII.GetBytes(
        $"{method} sip:bob@example.test SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK{callId}{cseq}\r\nMax-Forwards: 70\r\n" +
        $"From: <sip:alice@example.test>;tag=a\r\nTo: <sip:bob@example.test>\r\nCall-ID: {callId}\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n");

    private static byte[] Response(string callId, int status, string reason, string method) => Encoding.ASCII.GetBytes(
        $"SIP/2.0 {status} {reason}\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK{callId}1\r\n" +
        $"From: <sip:alice@example.test>;tag=a\r\nTo: <sip:bob@example.test>;tag=b\r\nCall-ID: {callId}\r\nCSeq: 1 {method}\r\nContent-Length: 0\r\n\r\n");
}
