using System.Diagnostics.Metrics;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Media.Tests.Anchor;

public sealed class PortPoolTests
{
    // Two RTP/RTCP pairs: one call's worth.
    private const int PortMin = 10300;
    private const int PortMax = 10303;

    private readonly MediaMetrics _metrics = new();

    [Fact]
    public void TwoPairs_HoldOneCall_TheNextIsRefusedAndCounted()
    {
        using var recorder = new MeterRecorder(_metrics.Meter);
        using var anchor = TestAnchor.Create(PortMin, PortMax, metrics: _metrics);

        using var first = anchor.Open(new RecordingEvents());
        var second = anchor.Open(new RecordingEvents());

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(0, anchor.FreePorts);
        Assert.Equal(1, recorder.Total("b2bua_media_ports_exhausted"));
    }

    [Fact]
    public void EndedCall_GivesItsPortsBack()
    {
        using var anchor = TestAnchor.Create(PortMin, PortMax, metrics: _metrics);
        Assert.Equal(4, Gauge(_metrics.Meter, "b2bua_media_ports_free"));
        var first = anchor.OpenCall();
        var ports = Ports(first);
        Assert.Equal((0, 0), (anchor.FreePorts, Gauge(_metrics.Meter, "b2bua_media_ports_free")));

        first.Dispose();

        Assert.Equal((4, 4), (anchor.FreePorts, Gauge(_metrics.Meter, "b2bua_media_ports_free")));
        Assert.Equal(0, Gauge(_metrics.Meter, "b2bua_media_sessions_active"));
        using var next = anchor.OpenCall();
        Assert.Equal(ports.Order(), Ports(next).Order());
    }

    /// <summary>The pool's size is the even-started pairs of the range, the same whether its ports are taken or free.</summary>
    [Fact]
    public void OddRange_PoolSizeCountsWholePairsFromTheFirstEvenPort_TakenOrFree()
    {
        using var anchor = TestAnchor.Create(10321, 10326, metrics: _metrics);
        Assert.Equal((4, 4), (Gauge(_metrics.Meter, "b2bua_media_ports_total"), Gauge(_metrics.Meter, "b2bua_media_ports_free")));

        using var session = anchor.OpenCall();

        Assert.Equal((4, 0), (Gauge(_metrics.Meter, "b2bua_media_ports_total"), Gauge(_metrics.Meter, "b2bua_media_ports_free")));
    }

    [Fact]
    public void PortBoundByAnotherSocket_IsSkipped()
    {
        using var taken = Phone.Bind(10310);
        using var anchor = TestAnchor.Create(10310, 10315, metrics: _metrics);

        using var session = anchor.OpenCall();

        Assert.Equal([10312, 10314], Ports(session).Order());
        Assert.Null(anchor.Open(new RecordingEvents()));
    }

    [Fact]
    public void OddPortMin_StartsAtTheNextEvenPort()
    {
        using var anchor = TestAnchor.Create(10321, 10325, metrics: _metrics);

        using var session = anchor.OpenCall();

        Assert.Equal([10322, 10324], Ports(session).Order());
    }

    [Fact]
    public void NoPortsLeftForASecondStream_DeclinesItAndKeepsTheFirst()
    {
        using var anchor = TestAnchor.Create(PortMin, PortMax, metrics: _metrics);
        using var session = anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Of(
            "v=0", "o=phone 1 1 IN IP4 192.0.2.10", "s=-", "c=IN IP4 192.0.2.10", "t=0 0",
            "m=audio 49170 RTP/AVP 0",
            "m=video 49180 RTP/AVP 96", "a=rtpmap:96 H264/90000", "a=rtcp:49181"));

        Assert.InRange(TestAnchor.PortOf(passed, 0), PortMin, PortMax);
        Assert.Equal(0, TestAnchor.PortOf(passed, 1));
        Assert.Empty(TestAnchor.Lines(passed, "a=rtcp"));
    }

    /// <summary>The RTP ports a call's two parties are given.</summary>
    private static int[] Ports(IMediaSession session) =>
    [
        TestAnchor.PortOf(session.Pass(CallSide.A, Sdp.Audio("192.0.2.10", 49170))),
        TestAnchor.PortOf(session.Pass(CallSide.B, Sdp.Audio("198.51.100.20", 30000))),
    ];

    private static long Gauge(Meter meter, string name)
    {
        using var recorder = new MeterRecorder(meter);
        recorder.Observe();
        return recorder.Total(name);
    }
}
