using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Media.Tests.Anchor;

public sealed class SupervisionTests : IDisposable
{
    private const int PortMin = 10400;
    private const int PortMax = 10499;
    private const int Timeout = 30;
    private const int OneWayAfter = 5;

    private readonly ManualTimeProvider _time = new();
    private readonly MediaMetrics _metrics = new();
    private readonly MeterRecorder _recorder;
    private readonly MediaAnchor _anchor;
    private readonly RecordingEvents _events = new();

    public SupervisionTests()
    {
        _recorder = new MeterRecorder(_metrics.Meter);
        _anchor = TestAnchor.Create(PortMin, PortMax, _time, o => (o.InactivityTimeoutSeconds, o.OneWayAfterSeconds) = (Timeout, OneWayAfter), _metrics);
    }

    public void Dispose()
    {
        _anchor.Dispose();
        _recorder.Dispose();
    }

    [Fact]
    public void AnsweredSilentCall_TimesOutOnceAfterTheInactivityTimeout()
    {
        var session = SilentCall();
        session.CallAnswered();

        Advance(Timeout - 1);
        Assert.Equal(0, _events.TimedOutCount);
        Advance(2);
        Assert.Equal(1, _events.TimedOutCount);
        Advance(3 * Timeout);
        Assert.Equal(1, _events.TimedOutCount);
        Assert.Equal(1, _recorder.Total("b2bua_media_timeouts"));
    }

    [Fact]
    public void UnansweredCall_NeverTimesOut_AndSilenceCountsFromTheAnswer()
    {
        var session = SilentCall();

        Advance(3 * Timeout);
        Assert.Equal(0, _events.TimedOutCount);
        session.CallAnswered();
        Advance(Timeout - 1);
        Assert.Equal(0, _events.TimedOutCount);
        Advance(2);
        Assert.Equal(1, _events.TimedOutCount);
    }

    /// <summary>A's hold offer and B's answer to it (RFC 3264 §8.4): nobody is expected to send.</summary>
    [Theory]
    [InlineData("192.0.2.10", "sendonly", "recvonly")]
    [InlineData("192.0.2.10", "recvonly", "sendonly")]
    [InlineData("192.0.2.10", "inactive", "inactive")]
    [InlineData("0.0.0.0", "sendrecv", "sendrecv")]
    public void CallOnHold_DoesNotTimeOut_UntilResumed(string address, string direction, string answer)
    {
        var session = SilentCall();
        session.CallAnswered();
        Advance(Timeout / 2);

        session.Pass(CallSide.A, Sdp.Audio(address, 49170, direction, version: 2));
        session.Pass(CallSide.B, Sdp.Audio("198.51.100.20", 30000, answer, version: 2));
        Advance(3 * Timeout);
        Assert.Equal(0, _events.TimedOutCount);

        session.Pass(CallSide.A, Sdp.Audio("192.0.2.10", 49170, version: 3));
        session.Pass(CallSide.B, Sdp.Audio("198.51.100.20", 30000, version: 3));
        Advance(Timeout + 1);
        Assert.Equal(1, _events.TimedOutCount);
    }

    [Fact]
    public async Task FlowingMedia_KeepsTheCallUp()
    {
        using var call = AnchoredCall.Connect(_anchor, _events);
        call.Session.CallAnswered();

        for (var i = 0; i < 4 * Timeout / 5; i++)
        {
            await SendAsync(call, CallSide.A, i);
            await SendAsync(call, CallSide.B, i);
            Advance(5);
        }

        Assert.Equal(0, _events.TimedOutCount);
        Assert.Null(call.Session.Snapshot()!.OneWay);
        Advance(Timeout + 1);
        Assert.Equal(1, _events.TimedOutCount);
    }

    [Theory]
    [InlineData(CallSide.A, "A->B")]
    [InlineData(CallSide.B, "B->A")]
    public async Task OneDirectionSilent_IsOneWayAudio_CountedOnce_ClearedWhenItFlowsAgain(CallSide silent, string oneWay)
    {
        using var call = AnchoredCall.Connect(_anchor, _events);
        var talking = silent == CallSide.A ? CallSide.B : CallSide.A;
        call.Session.CallAnswered();

        for (var i = 0; i < 2 * OneWayAfter; i++)
        {
            if (i < OneWayAfter)
            {
                Assert.Null(call.Session.Snapshot()!.OneWay);
            }

            await SendAsync(call, talking, i);
            Advance(1);
        }

        Assert.Equal(oneWay, call.Session.Snapshot()!.OneWay);
        Assert.Equal(1, _recorder.Total("b2bua_media_one_way"));

        await SendAsync(call, silent, 0);
        await SendAsync(call, talking, 100);
        Advance(1);

        Assert.Null(call.Session.Snapshot()!.OneWay);
        Assert.Equal(1, _recorder.Total("b2bua_media_one_way"));
        Assert.Equal(0, _events.TimedOutCount);
    }

    [Fact]
    public void BothDirectionsSilent_IsNotOneWayAudio()
    {
        var session = SilentCall();
        session.CallAnswered();
        Advance(Timeout - 1);

        Assert.Null(session.Snapshot()!.OneWay);
        Assert.Equal(0, _recorder.Total("b2bua_media_one_way"));
    }

    [Fact]
    public void LastCallEnded_LeavesNoTimer()
    {
        var session = SilentCall();
        Assert.Equal(1, _time.ActiveTimerCount);

        session.Dispose();

        Assert.Equal(0, _time.ActiveTimerCount);
        session.CallAnswered();
        Advance(3 * Timeout);
        Assert.Equal(0, _events.TimedOutCount);
    }

    /// <summary>Both parties sendrecv, to addresses nobody answers at: a call in which no packet ever comes.</summary>
    /// <summary>A sendrecv party sending to one that only receives is expected to send: its silence times the call out.</summary>
    [Fact]
    public void SendrecvToRecvonly_IsExpectedToFlow()
    {
        var session = _anchor.OpenCall(_events);
        session.Pass(CallSide.A, Sdp.Audio("192.0.2.10", 49170));
        session.Pass(CallSide.B, Sdp.Audio("198.51.100.20", 30000, "recvonly"));
        session.CallAnswered();
        Advance(Timeout + 1);
        Assert.Equal(1, _events.TimedOutCount);
    }

    private IMediaSession SilentCall()
    {
        var session = _anchor.OpenCall(_events);
        session.Pass(CallSide.A, Sdp.Audio("192.0.2.10", 49170));
        session.Pass(CallSide.B, Sdp.Audio("198.51.100.20", 30000));
        return session;
    }

    private void Advance(int seconds) => _time.Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>One RTP packet from <paramref name="from"/>, seen arriving at the other phone, so the anchor has counted it.</summary>
    private static async Task SendAsync(AnchoredCall call, CallSide from, int sequence)
    {
        var packet = Packets.Rtp((ushort)sequence, ssrc: from == CallSide.A ? 0x11223344u : 0x55667788u);
        if (from == CallSide.A)
        {
            Phone.Send(call.A.Rtp, call.AFacing, packet);
            Assert.Equal(packet, (await Phone.ReceiveAsync(call.B.Rtp)).Packet);
        }
        else
        {
            Phone.Send(call.B.Rtp, call.BFacing, packet);
            Assert.Equal(packet, (await Phone.ReceiveAsync(call.A.Rtp)).Packet);
        }
    }
}
