using System.Net;
using BenchmarkDotNet.Attributes;
using FeatureB2bua.Core.Tracing;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Benchmarks;

/// <summary>
/// The console's SIP trace per message. On the hot path: the copy into the bounded queue, with the background
/// reader's take and the buffer's return (which must allocate nothing), and the same into a full queue, where the
/// oldest is dropped and counted. Off it: filing one INVITE into the trace book (parse, redact, record), what the
/// background reader spends per message.
/// </summary>
[MemoryDiagnoser]
public class TraceBenchmarks
{
    private static readonly IPEndPoint Local = new(IPAddress.Loopback, 5060);
    private static readonly IPEndPoint Remote = new(IPAddress.Loopback, 5090);
    private readonly byte[] _invite = CallBenchmarks.Invite("1-1@127.0.0.1", "z9hG4bK-1-1-0");
    private SipTraceQueue _queue = null!;
    private SipTraceQueue _full = null!;
    private TraceEntry _entry;
    private TraceBook _book = null!;

    [GlobalSetup]
    public void Setup()
    {
        _queue = new SipTraceQueue(8192, TimeProvider.System, new TraceMetrics());
        _full = new SipTraceQueue(1024, TimeProvider.System, new TraceMetrics());
        for (var i = 0; i < 1024; i++)
        {
            _full.Received(_invite, TransportProtocol.Udp, Local, Remote);
        }

        var clock = new ManualTimeProvider();
        var source = new SipTraceQueue(16, clock, new TraceMetrics());
        source.Received(_invite, TransportProtocol.Udp, Local, Remote);
        source.Reader.TryRead(out _entry);

        // One call in progress whose A-leg the filed INVITE belongs to.
        _book = new TraceBook(200, 200);
        _book.File(new TraceEntry(TraceEntryKind.CallStarted, clock.GetUtcNow(), CallId: "1-1@127.0.0.1", First: "sip:a@bench.test", Second: "sip:b@bench.test"));
    }

    [Benchmark]
    public void EnqueueAndTake()
    {
        _queue.Received(_invite, TransportProtocol.Udp, Local, Remote);
        _queue.Reader.TryRead(out var entry);
        SipTraceQueue.Release(entry);
    }

    [Benchmark]
    public void EnqueueIntoFullQueue() => _full.Received(_invite, TransportProtocol.Udp, Local, Remote);

    [Benchmark]
    public (string, long)? FileInvite() => _book.File(_entry);
}
