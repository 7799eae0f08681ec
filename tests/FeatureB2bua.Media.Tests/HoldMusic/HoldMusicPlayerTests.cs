using System.Buffers.Binary;
using FeatureB2bua.Media.HoldMusic;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Media.Tests.HoldMusic;

/// <summary>
/// Packet n of a stream is due at start + n × 20 ms, n counting from 0, so the first packet goes as soon as the
/// timer armed by Start fires and after Advance(T), T a multiple of 20 ms, exactly T / 20 ms + 1 packets have gone.
/// </summary>
public sealed class HoldMusicPlayerTests
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);
    private readonly ManualTimeProvider _clock = new();
    private readonly HoldMusicTrack _track = new("tune", HoldTune.Generate());
    private readonly List<byte[]> _sent = [];

    [Fact]
    public void FirstPacket_GoesWhenTheTimerFires_NotInsideStart()
    {
        using var player = Player(G711.PcmuPayloadType);

        player.Start();
        Assert.Empty(_sent);

        _clock.Advance(TimeSpan.Zero);
        var packet = Assert.Single(_sent);
        Assert.Equal(172, packet.Length);
        Assert.Equal(0x80, packet[0]);
        Assert.Equal(0x80, packet[1]);
        Assert.Equal(_track.Frame(0, G711.PcmuPayloadType).ToArray(), packet[12..]);
    }

    [Fact]
    public void Pcma_CarriesPayloadType8AndTheALawFrames()
    {
        using var player = Player(G711.PcmaPayloadType);
        player.Start();

        _clock.Advance(Frame);

        Assert.Equal(2, _sent.Count);
        Assert.Equal(0x88, _sent[0][1]);
        Assert.Equal(0x08, _sent[1][1]);
        Assert.Equal(_track.Frame(1, G711.PcmaPayloadType).ToArray(), _sent[1][12..]);
    }

    [Fact]
    public void OneHour_Sends180001PacketsOnTheDot_ConsecutiveAndInLoopOrder()
    {
        var started = _clock.Now;
        long count = 0, misplaced = 0, wrongPayload = 0, wrongHeader = 0;
        ushort firstSequence = 0;
        uint firstTimestamp = 0, ssrc = 0;
        using var player = new HoldMusicPlayer(_track, G711.PcmuPayloadType, _clock, packet =>
        {
            var sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
            var timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
            if (count == 0)
            {
                (firstSequence, firstTimestamp, ssrc) = (sequence, timestamp, BinaryPrimitives.ReadUInt32BigEndian(packet[8..]));
            }

            if (sequence != (ushort)(firstSequence + count) || timestamp != (uint)(firstTimestamp + (count * 160))
                || BinaryPrimitives.ReadUInt32BigEndian(packet[8..]) != ssrc || packet[1] != (count == 0 ? 0x80 : 0x00))
            {
                wrongHeader++;
            }

            if (!packet[12..].SequenceEqual(_track.Frame((int)(count % _track.FrameCount), G711.PcmuPayloadType)))
            {
                wrongPayload++;
            }

            // Absolute deadlines: however long the stream runs, a packet leaves at its own n × 20 ms, or up to 1 ms before.
            var early = (count * Frame) - (_clock.Now - started);
            if (early < TimeSpan.Zero || early > TimeSpan.FromMilliseconds(1))
            {
                misplaced++;
            }

            count++;
        });
        player.Start();

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(180_001, count);
        Assert.Equal(0, wrongHeader);
        Assert.Equal(0, wrongPayload);
        Assert.Equal(0, misplaced);
        Assert.True(_track.FrameCount < 180_001, "the hour must wrap the loop");
        Assert.Equal(1, _clock.ActiveTimerCount);
    }

    [Fact]
    public void SmallStall_IsCaughtUpInABurst()
    {
        var clock = new StallingClock(_clock);
        using var player = new HoldMusicPlayer(_track, G711.PcmuPayloadType, clock, packet => _sent.Add(packet.ToArray()));
        player.Start();
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(6, _sent.Count);

        clock.Stall = TimeSpan.FromMilliseconds(100);
        _clock.Advance(Frame);

        Assert.Equal(12, _sent.Count);
        AssertConsecutive(_sent, sequenceStep: 1, timestampStep: 160);
        Assert.All(_sent.Skip(1), p => Assert.Equal(0x00, p[1]));
    }

    [Fact]
    public void LongStall_SkipsAhead_SequenceByOneTimestampAndMusicByTheTimeSkipped()
    {
        var clock = new StallingClock(_clock);
        using var player = new HoldMusicPlayer(_track, G711.PcmuPayloadType, clock, packet => _sent.Add(packet.ToArray()));
        player.Start();
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(6, _sent.Count);

        // The process stalls for 5 s: time moves on without a timer firing, then the timer due at 120 ms fires at 5.12 s.
        clock.Stall = TimeSpan.FromSeconds(5);
        _clock.Advance(Frame);

        Assert.Equal(7, _sent.Count);
        var before = _sent[5];
        var after = _sent[6];
        Assert.Equal((ushort)(Sequence(before) + 1), Sequence(after));
        Assert.Equal(Timestamp(before) + (251u * 160), Timestamp(after));
        Assert.Equal(0x80, after[1]);
        Assert.Equal(_track.Frame(256 % _track.FrameCount, G711.PcmuPayloadType).ToArray(), after[12..]);

        _clock.Advance(Frame);
        Assert.Equal(8, _sent.Count);
        Assert.Equal(0x00, _sent[7][1]);
        AssertConsecutive(_sent[6..], sequenceStep: 1, timestampStep: 160);
        Assert.Equal(_track.Frame(257 % _track.FrameCount, G711.PcmuPayloadType).ToArray(), _sent[7][12..]);
    }

    [Fact]
    public void Dispose_StopsSending_AndReleasesTheTimer()
    {
        var player = Player(G711.PcmuPayloadType);
        player.Start();
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        player.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(6, _sent.Count);
        Assert.Equal(0, _clock.ActiveTimerCount);
        Assert.Throws<ObjectDisposedException>(player.Start);
        player.Dispose();
    }

    [Fact]
    public async Task Dispose_WhileATickIsSending_WaitsForIt_ThenNothingMoreIsSent()
    {
        var fiftieth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var disposing = new ManualResetEventSlim();
        var disposed = false;
        var count = 0;
        var lateSends = 0;
        var player = new HoldMusicPlayer(_track, G711.PcmuPayloadType, _clock, _ =>
        {
            if (Volatile.Read(ref disposed))
            {
                lateSends++;
            }

            if (++count == 50)
            {
                // Hold this tick open until the test thread is about to dispose, so Dispose meets a tick in flight.
                fiftieth.TrySetResult();
                disposing.Wait(TimeSpan.FromSeconds(30));
            }
        });
        player.Start();

        var advancing = Task.Run(() => _clock.Advance(TimeSpan.FromHours(1)));
        await fiftieth.Task.WaitAsync(TimeSpan.FromSeconds(30));
        disposing.Set();
        player.Dispose();
        Volatile.Write(ref disposed, true);
        await advancing.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, lateSends);
        Assert.InRange(count, 50, 180_000);
        Assert.Equal(0, _clock.ActiveTimerCount);
    }

    [Fact]
    public void PlayingOnce_SendsEachFrameOnTime_ThenEnds_ReleasingTheTimer()
    {
        var track = new HoldMusicTrack("tone", Enumerable.Range(0, 5 * 160).Select(i => (short)(i * 40)).ToArray());
        var endedAt = new List<DateTimeOffset>();
        var started = _clock.Now;
        using var player = new HoldMusicPlayer(track, G711.PcmaPayloadType, _clock, packet => _sent.Add(packet.ToArray()), () => endedAt.Add(_clock.Now));
        player.Start();

        _clock.Advance(TimeSpan.FromMilliseconds(60));
        Assert.Equal(4, _sent.Count);
        Assert.Empty(endedAt);

        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(5, _sent.Count);
        Assert.InRange(Assert.Single(endedAt) - started, TimeSpan.FromMilliseconds(79), TimeSpan.FromMilliseconds(80));
        AssertConsecutive(_sent, sequenceStep: 1, timestampStep: 160);
        Assert.All(_sent.Select((p, i) => (p, i)), x => Assert.Equal(track.Frame(x.i, G711.PcmaPayloadType).ToArray(), x.p[12..]));
        Assert.Equal(0, _clock.ActiveTimerCount);
        Assert.Throws<ObjectDisposedException>(player.Start);
    }

    [Fact]
    public void PlayingOnce_AfterAStall_StillEndsAtTheLastFrame()
    {
        var clock = new StallingClock(_clock);
        var track = new HoldMusicTrack("tone", new short[50 * 160]);
        var ended = 0;
        using var player = new HoldMusicPlayer(track, G711.PcmuPayloadType, clock, packet => _sent.Add(packet.ToArray()), () => ended++);
        player.Start();
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        clock.Stall = TimeSpan.FromSeconds(5);
        _clock.Advance(Frame);

        Assert.Equal(1, ended);
        Assert.Equal(7, _sent.Count);
        Assert.Equal(Timestamp(_sent[5]) + (44u * 160), Timestamp(_sent[6]));
        Assert.Equal(0, _clock.ActiveTimerCount);
    }

    [Fact]
    public void TheEndedCallback_MayDisposeThePlayer()
    {
        var track = new HoldMusicTrack("tone", new short[160]);
        HoldMusicPlayer? player = null;
        player = new HoldMusicPlayer(track, G711.PcmuPayloadType, _clock, packet => _sent.Add(packet.ToArray()), () => player!.Dispose());
        player.Start();

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Single(_sent);
        Assert.Equal(0, _clock.ActiveTimerCount);
    }

    [Fact]
    public void StartTwice_OrAnotherPayloadType_IsRejected()
    {
        using var player = Player(G711.PcmuPayloadType);
        player.Start();

        Assert.Throws<InvalidOperationException>(player.Start);
        Assert.Throws<ArgumentOutOfRangeException>(() => Player(18));
    }

    private static ushort Sequence(byte[] packet) => BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));

    private static uint Timestamp(byte[] packet) => BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));

    private static void AssertConsecutive(List<byte[]> packets, int sequenceStep, uint timestampStep)
    {
        for (var i = 1; i < packets.Count; i++)
        {
            Assert.Equal((ushort)(Sequence(packets[i - 1]) + sequenceStep), Sequence(packets[i]));
            Assert.Equal(Timestamp(packets[i - 1]) + timestampStep, Timestamp(packets[i]));
        }
    }

    private HoldMusicPlayer Player(byte payloadType) =>
        new(_track, payloadType, _clock, packet => _sent.Add(packet.ToArray()));

    /// <summary>A clock whose time can run ahead of its timers: what a process sees when it wakes from a stall.</summary>
    private sealed class StallingClock(ManualTimeProvider inner) : TimeProvider
    {
        public TimeSpan Stall { get; set; }

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp() + (long)(Stall.TotalSeconds * inner.TimestampFrequency);

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Stall;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime, period);
    }
}
