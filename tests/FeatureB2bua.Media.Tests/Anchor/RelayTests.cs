using System.Text;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Media.Tests.Anchor;

public sealed class RelayTests : IDisposable
{
    private const int PortMin = 10100;
    private const int PortMax = 10199;

    private readonly MediaMetrics _metrics = new();
    private readonly MediaAnchor _anchor;

    public RelayTests() => _anchor = TestAnchor.Create(PortMin, PortMax, metrics: _metrics);

    public void Dispose() => _anchor.Dispose();

    [Fact]
    public async Task RtpFromA_ReachesB_Unchanged_InOrder_FromTheBFacingPort()
    {
        using var call = AnchoredCall.Connect(_anchor);
        var sent = Enumerable.Range(0, 20).Select(i => Packets.Rtp((ushort)i)).ToArray();

        foreach (var packet in sent)
        {
            Phone.Send(call.A.Rtp, call.AFacing, packet);
        }

        foreach (var packet in sent)
        {
            var (received, fromPort) = await Phone.ReceiveAsync(call.B.Rtp);
            Assert.Equal(packet, received);
            Assert.Equal(call.BFacing, fromPort);
        }

        await Phone.ExpectNothingAsync(call.B.Rtp);
    }

    [Fact]
    public async Task RtpFromB_ReachesA_Unchanged_InOrder_FromTheAFacingPort()
    {
        using var call = AnchoredCall.Connect(_anchor);
        var sent = Enumerable.Range(0, 20).Select(i => Packets.Rtp((ushort)(1000 + i), ssrc: 0x55667788)).ToArray();

        foreach (var packet in sent)
        {
            Phone.Send(call.B.Rtp, call.BFacing, packet);
        }

        foreach (var packet in sent)
        {
            var (received, fromPort) = await Phone.ReceiveAsync(call.A.Rtp);
            Assert.Equal(packet, received);
            Assert.Equal(call.AFacing, fromPort);
        }

        await Phone.ExpectNothingAsync(call.A.Rtp);
    }

    [Fact]
    public async Task Packets_AreNeverReflectedToTheirSender()
    {
        using var call = AnchoredCall.Connect(_anchor);

        Phone.Send(call.A.Rtp, call.AFacing, Packets.Rtp(1));
        await Phone.ReceiveAsync(call.B.Rtp);
        var fromB = Packets.Rtp(2, ssrc: 0x55667788);
        Phone.Send(call.B.Rtp, call.BFacing, fromB);

        // A reflected packet would have been sent back before B's: the first A gets is B's.
        Assert.Equal(fromB, (await Phone.ReceiveAsync(call.A.Rtp)).Packet);
        await Phone.ExpectNothingAsync(call.A.Rtp);
        await Phone.ExpectNothingAsync(call.B.Rtp);
    }

    [Fact]
    public async Task Rtcp_OnPortPlusOne_IsRelayedBothWays()
    {
        using var call = AnchoredCall.Connect(_anchor);
        var fromA = Packets.SenderReport(0x11223344, 50);
        var fromB = Packets.SenderReport(0x55667788, 70);

        Phone.Send(call.A.Rtcp, call.AFacing + 1, fromA);
        await Phone.ExpectAsync(call.B.Rtcp, fromA, call.BFacing + 1);
        Phone.Send(call.B.Rtcp, call.BFacing + 1, fromB);
        await Phone.ExpectAsync(call.A.Rtcp, fromB, call.AFacing + 1);

        await Phone.ExpectNothingAsync(call.A.Rtp);
        await Phone.ExpectNothingAsync(call.B.Rtp);
    }

    [Fact]
    public async Task TelephoneEvents_AreRelayedUntouched()
    {
        using var call = AnchoredCall.Connect(_anchor);
        byte[][] digit = [Packets.TelephoneEvent(0, 5, false, 160), Packets.TelephoneEvent(1, 5, false, 320), Packets.TelephoneEvent(2, 5, true, 480), Packets.TelephoneEvent(3, 5, true, 480)];

        foreach (var packet in digit)
        {
            Phone.Send(call.A.Rtp, call.AFacing, packet);
        }

        foreach (var packet in digit)
        {
            Assert.Equal(packet, (await Phone.ReceiveAsync(call.B.Rtp)).Packet);
        }
    }

    [Fact]
    public async Task NotRtp_IsDroppedAndCounted()
    {
        using var recorder = new MeterRecorder(_metrics.Meter);
        using var call = AnchoredCall.Connect(_anchor);
        var versionZero = Packets.Rtp(1);
        versionZero[0] = 0x00;
        var rtp = Packets.Rtp(2);

        Phone.Send(call.A.Rtp, call.AFacing, Encoding.ASCII.GetBytes("hello"));
        Phone.Send(call.A.Rtp, call.AFacing, [0x80, 0x00, 0x00, 0x01, 0x00]);
        Phone.Send(call.A.Rtp, call.AFacing, versionZero);
        Phone.Send(call.A.Rtcp, call.AFacing + 1, Packets.Rtp(3));
        Phone.Send(call.A.Rtp, call.AFacing, rtp);

        Assert.Equal(rtp, (await Phone.ReceiveAsync(call.B.Rtp)).Packet);
        await Phone.ExpectNothingAsync(call.B.Rtp);
        await Phone.ExpectNothingAsync(call.B.Rtcp);
        await Wait.UntilAsync(() => _anchor.Relayed().Packets == 1);
        recorder.Observe();
        Assert.Equal(4, recorder.Total("b2bua_rtp_dropped|reason=not_rtp"));
        Assert.Equal(1, recorder.Total("b2bua_rtp_packets_relayed"));
    }

    [Fact]
    public async Task DatagramTooBigForTheRelay_IsDroppedNotTruncated()
    {
        using var recorder = new MeterRecorder(_metrics.Meter);
        using var call = AnchoredCall.Connect(_anchor);
        var largest = Packets.Rtp(2, payloadLength: 2048 - 12);

        Phone.Send(call.A.Rtp, call.AFacing, Packets.Rtp(1, payloadLength: 3000));
        Phone.Send(call.A.Rtp, call.AFacing, largest);

        Assert.Equal(largest, (await Phone.ReceiveAsync(call.B.Rtp)).Packet);
        await Phone.ExpectNothingAsync(call.B.Rtp);
        recorder.Observe();
        Assert.Equal(1, recorder.Total("b2bua_rtp_dropped|reason=not_rtp"));
    }

    [Fact]
    public async Task Snapshot_CountsWhatWasRelayedEachWay()
    {
        using var recorder = new MeterRecorder(_metrics.Meter);
        using var call = AnchoredCall.Connect(_anchor);

        for (var i = 0; i < 5; i++)
        {
            Phone.Send(call.A.Rtp, call.AFacing, Packets.Rtp((ushort)i, payloadLength: 160));
            await Phone.ReceiveAsync(call.B.Rtp);
        }

        for (var i = 0; i < 3; i++)
        {
            Phone.Send(call.B.Rtp, call.BFacing, Packets.Rtp((ushort)i, payloadLength: 20));
            await Phone.ReceiveAsync(call.A.Rtp);
        }

        Phone.Send(call.B.Rtcp, call.BFacing + 1, Packets.SenderReport(1, 3));
        await Phone.ReceiveAsync(call.A.Rtcp);

        var expected = new MediaSnapshotCounts(5, 4, 5 * 172, (3 * 32) + 28);
        await Wait.UntilAsync(() => Counts(call.Session.Snapshot()!) == expected);
        Assert.Equal(expected, Counts(call.Session.Snapshot()!));
        recorder.Observe();
        Assert.Equal((9, (5 * 172) + (3 * 32) + 28), (recorder.Total("b2bua_rtp_packets_relayed"), recorder.Total("b2bua_rtp_bytes_relayed")));
    }

    private static MediaSnapshotCounts Counts(FeatureB2bua.Core.Calls.MediaSnapshot s) => new(s.PacketsFromA, s.PacketsFromB, s.BytesFromA, s.BytesFromB);

    private sealed record MediaSnapshotCounts(long PacketsFromA, long PacketsFromB, long BytesFromA, long BytesFromB);
}
