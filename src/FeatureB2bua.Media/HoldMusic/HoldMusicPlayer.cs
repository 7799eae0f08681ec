namespace FeatureB2bua.Media.HoldMusic;

/// <summary>
/// Plays a <see cref="HoldMusicTrack"/> to one destination as a G.711 RTP stream, a packet every 20 ms: hold music in a
/// loop until disposed, or a tone once through. Packet n is due at
/// start + n × 20 ms and each tick sends whatever is due, then arms a one-shot timer for the next deadline, so late
/// ticks never add up to drift however long the hold lasts; a packet may leave up to a millisecond early, which a
/// jitter buffer does not notice. The first packet goes on the timer's thread like the rest, never on the thread that
/// calls <see cref="Start"/>.
/// </summary>
public sealed class HoldMusicPlayer : IDisposable
{
    /// <summary>
    /// Overdue packets beyond this many are not sent: after a stall (a paused process, a long GC) a burst would only
    /// overflow the receiver's jitter buffer, so the stream jumps to the present instead.
    /// </summary>
    public const int MaxCatchUp = 10;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// A tick this close before a deadline counts it as reached: clocks and timers round, and waiting again for the
    /// last microseconds would cost a wake-up for nothing. The next deadline is then more than this far away, so the
    /// timer is always re-armed for at least half of it and a timer that fires early cannot make the player spin.
    /// </summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(1);

    /// <summary>The timer is aimed this far before each deadline, so that rounding cannot push the tick past it.</summary>
    private static readonly TimeSpan Lead = Slack / 2;

    private readonly HoldMusicTrack _music;
    private readonly TimeProvider _time;
    private readonly RtpSend _send;
    private readonly RtpPacketWriter _writer;
    private readonly byte[] _packet = new byte[RtpPacketWriter.HeaderLength + HoldMusicTrack.SamplesPerFrame];
    private readonly Action? _ended;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private long _startedAt;
    private long _nextPacket;
    private int _nextFrame;
    private bool _disposed;

    /// <param name="payloadType"><see cref="G711.PcmuPayloadType"/> or <see cref="G711.PcmaPayloadType"/>, as negotiated with the held party.</param>
    /// <param name="ended">
    /// Null to loop the track until disposed. Otherwise the track plays once, and this runs after its last packet, on the
    /// timer's thread and outside the player's lock, so it may take locks of its own and dispose the player (it may also
    /// run just after a Dispose on another thread has returned, the last packet having gone first).
    /// </param>
    public HoldMusicPlayer(HoldMusicTrack music, byte payloadType, TimeProvider time, RtpSend send, Action? ended = null)
    {
        ArgumentNullException.ThrowIfNull(music);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(send);
        if (payloadType is not (G711.PcmuPayloadType or G711.PcmaPayloadType))
        {
            throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "G.711 is payload type 0 (PCMU) or 8 (PCMA)");
        }

        _music = music;
        _time = time;
        _send = send;
        _ended = ended;
        _writer = new RtpPacketWriter(payloadType);
    }

    /// <summary>Starts the stream from the tune's first frame; the first packet is due at once.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_timer is not null)
            {
                throw new InvalidOperationException("The hold music player is already started");
            }

            _startedAt = _time.GetTimestamp();
            _timer = _time.CreateTimer(static state => ((HoldMusicPlayer)state!).Tick(), this, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops the stream. A tick already sending finishes first, so once this returns nothing more is sent.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }

    private void Tick()
    {
        bool ended;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var elapsed = _time.GetElapsedTime(_startedAt);
            var due = ((elapsed + Slack).Ticks / Interval.Ticks) + 1;
            if (_ended is not null)
            {
                due = Math.Min(due, _music.FrameCount);
            }

            var overdue = due - _nextPacket;
            if (overdue > MaxCatchUp)
            {
                // Jump to the newest due packet. The sequence number runs on without a gap, since nothing was lost in
                // the network, while the timestamp and the music move on by the time skipped (RFC 3550 §5.1).
                var skipped = overdue - 1;
                _writer.Skip(unchecked((uint)(skipped * HoldMusicTrack.SamplesPerFrame)));
                _nextFrame = (int)((_nextFrame + skipped) % _music.FrameCount);
                _nextPacket += skipped;
            }

            for (; _nextPacket < due; _nextPacket++)
            {
                var length = _writer.Write(_packet, _music.Frame(_nextFrame, _writer.PayloadType), HoldMusicTrack.SamplesPerFrame);
                _nextFrame = (_nextFrame + 1) % _music.FrameCount;
                _send(_packet.AsSpan(0, length));
            }

            ended = _ended is not null && _nextPacket == _music.FrameCount;
            if (ended)
            {
                _disposed = true;
                _timer!.Dispose();
            }
            else
            {
                _timer!.Change(TimeSpan.FromTicks(_nextPacket * Interval.Ticks) - elapsed - Lead, Timeout.InfiniteTimeSpan);
            }
        }

        if (ended)
        {
            _ended!();
        }
    }
}
