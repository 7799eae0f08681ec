using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Media.Tests.Anchor;

public sealed class LatchingTests
{
    private const int PortMin = 10200;
    private const int PortMax = 10299;

    private readonly MediaMetrics _metrics = new();

    [Fact]
    public async Task PartyBehindNat_GetsPacketsWhereItSendsFrom_NotWhereItsSdpSays()
    {
        using var anchor = TestAnchor.Create(PortMin, PortMax, metrics: _metrics);
        using var advertised = Phone.Open();
        using var call = AnchoredCall.Connect(anchor, aSdp: advertised.Sdp());
        using var natSource = Phone.Bind(0);

        Phone.Send(natSource, call.AFacing, Packets.Rtp(1));
        await Phone.ReceiveAsync(call.B.Rtp);
        var fromB = Packets.Rtp(1, ssrc: 0x55667788);
        Phone.Send(call.B.Rtp, call.BFacing, fromB);

        await Phone.ExpectAsync(natSource, fromB, call.AFacing);
        await Phone.ExpectNothingAsync(advertised.Rtp);
    }

    [Fact]
    public async Task BeforeAPartySends_ItsPacketsGoWhereItsSdpSays()
    {
        using var anchor = TestAnchor.Create(PortMin, PortMax, metrics: _metrics);
        using var call = AnchoredCall.Connect(anchor);
        var fromB = Packets.Rtp(1, ssrc: 0x55667788);

        Phone.Send(call.B.Rtp, call.BFacing, fromB);

        await Phone.ExpectAsync(call.A.Rtp, fromB, call.AFacing);
    }

    [Fact]
    public async Task AfterLatching_AnotherSource_IsDroppedAndCounted()
    {
        using var recorder = new MeterRecorder(_metrics.Meter);
        using var anchor = TestAnchor.Create(PortMin, PortMax, metrics: _metrics);
        using var call = AnchoredCall.Connect(anchor);
        using var intruder = Phone.Bind(0);
        Phone.Send(call.A.Rtp, call.AFacing, Packets.Rtp(1));
        await Phone.ReceiveAsync(call.B.Rtp);

        Phone.Send(intruder, call.AFacing, Packets.Rtp(99, ssrc: 0xBADBAD));
        var fromA = Packets.Rtp(2);
        Phone.Send(call.A.Rtp, call.AFacing, fromA);
        var fromB = Packets.Rtp(1, ssrc: 0x55667788);

        Assert.Equal(fromA, (await Phone.ReceiveAsync(call.B.Rtp)).Packet);
        Phone.Send(call.B.Rtp, call.BFacing, fromB);
        Assert.Equal(fromB, (await Phone.ReceiveAsync(call.A.Rtp)).Packet);
        await Phone.ExpectNothingAsync(intruder);
        await Phone.ExpectNothingAsync(call.B.Rtp);
        recorder.Observe();
        Assert.Equal(1, recorder.Total("b2bua_rtp_dropped|reason=foreign_source"));
    }

    [Fact]
    public async Task RelatchAlways_AnotherSource_IsRelayedAndBecomesTheDestination()
    {
        using var anchor = TestAnchor.Create(PortMin, PortMax, configure: o => o.Relatch = RelatchPolicy.Always, metrics: _metrics);
        using var call = AnchoredCall.Connect(anchor);
        using var moved = Phone.Bind(0);
        Phone.Send(call.A.Rtp, call.AFacing, Packets.Rtp(1));
        await Phone.ReceiveAsync(call.B.Rtp);

        var fromMoved = Packets.Rtp(2);
        Phone.Send(moved, call.AFacing, fromMoved);
        Assert.Equal(fromMoved, (await Phone.ReceiveAsync(call.B.Rtp)).Packet);
        var fromB = Packets.Rtp(1, ssrc: 0x55667788);
        Phone.Send(call.B.Rtp, call.BFacing, fromB);

        await Phone.ExpectAsync(moved, fromB, call.AFacing);
        await Phone.ExpectNothingAsync(call.A.Rtp);
    }

    [Fact]
    public async Task RelatchAfterSilence_AnotherSource_TakesOverOnlyOnceTheLatchedOneIsQuiet()
    {
        var time = new ManualTimeProvider();
        using var recorder = new MeterRecorder(_metrics.Meter);
        using var anchor = TestAnchor.Create(PortMin, PortMax, time, o => (o.Relatch, o.RelatchSilenceSeconds) = (RelatchPolicy.AfterSilence, 2), _metrics);
        using var call = AnchoredCall.Connect(anchor);
        using var moved = Phone.Bind(0);
        Phone.Send(call.A.Rtp, call.AFacing, Packets.Rtp(1));
        await Phone.ReceiveAsync(call.B.Rtp);

        time.Advance(TimeSpan.FromSeconds(1));
        Phone.Send(moved, call.AFacing, Packets.Rtp(50));
        var stillLatched = Packets.Rtp(2);
        Phone.Send(call.A.Rtp, call.AFacing, stillLatched);
        Assert.Equal(stillLatched, (await Phone.ReceiveAsync(call.B.Rtp)).Packet);
        time.Advance(TimeSpan.FromSeconds(2));
        var afterSilence = Packets.Rtp(51);
        Phone.Send(moved, call.AFacing, afterSilence);

        Assert.Equal(afterSilence, (await Phone.ReceiveAsync(call.B.Rtp)).Packet);
        recorder.Observe();
        Assert.Equal(1, recorder.Total("b2bua_rtp_dropped|reason=foreign_source"));
    }

    [Fact]
    public async Task ReInvite_WithANewAddress_MovesWherePacketsGo()
    {
        using var anchor = TestAnchor.Create(PortMin, PortMax, metrics: _metrics);
        using var call = AnchoredCall.Connect(anchor);
        using var newB = Phone.Open();
        Phone.Send(call.B.Rtp, call.BFacing, Packets.Rtp(1, ssrc: 0x55667788));
        await Phone.ReceiveAsync(call.A.Rtp);

        var toA = call.Session.Pass(CallSide.B, newB.Sdp(version: 2));
        var fromA = Packets.Rtp(1);
        Phone.Send(call.A.Rtp, call.AFacing, fromA);

        Assert.Equal(call.AFacing, TestAnchor.PortOf(toA));
        await Phone.ExpectAsync(newB.Rtp, fromA, call.BFacing);
        await Phone.ExpectNothingAsync(call.B.Rtp);
    }

    [Fact]
    public async Task ReInvite_WithTheSameAddress_KeepsTheLatchedSource()
    {
        using var anchor = TestAnchor.Create(PortMin, PortMax, metrics: _metrics);
        using var advertised = Phone.Open();
        using var call = AnchoredCall.Connect(anchor, aSdp: advertised.Sdp());
        using var natSource = Phone.Bind(0);
        Phone.Send(natSource, call.AFacing, Packets.Rtp(1));
        await Phone.ReceiveAsync(call.B.Rtp);

        call.Session.Pass(CallSide.A, advertised.Sdp(version: 2));
        var fromB = Packets.Rtp(1, ssrc: 0x55667788);
        Phone.Send(call.B.Rtp, call.BFacing, fromB);

        Assert.Equal(fromB, (await Phone.ReceiveAsync(natSource)).Packet);
        await Phone.ExpectNothingAsync(advertised.Rtp);
    }
}
