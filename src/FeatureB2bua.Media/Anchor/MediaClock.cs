using System.Diagnostics;

namespace FeatureB2bua.Media.Anchor;

/// <summary>
/// The system clock with timers of its own: they fire on one dedicated thread, not the thread pool, so that hold music
/// and tones keep their 20 ms pace when pool threads are busy or blocked (a synchronous store call, a burst of
/// signalling). Pool timers measured here stalled 0.6-1 s at a time under such load, a gap every listener hears; this
/// thread does not wait its turn behind other work. Callbacks must be short: they run one after another.
/// </summary>
public sealed class MediaClock : TimeProvider, IDisposable
{
    private readonly PriorityQueue<(ClockTimer Timer, int Version), long> _due = new();
    private readonly Lock _gate = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;
    private bool _stopped;

    public MediaClock()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "media clock", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ClockTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Stops the thread; a second call (the anchor is disposed once per service it is registered as) does nothing.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            _wake.Set();
        }

        _thread.Join();
        lock (_gate)
        {
            _wake.Dispose();
        }
    }

    /// <summary>Arms <paramref name="timer"/> for <paramref name="at"/> (a timestamp), or disarms it when null; an earlier arming is left in the queue as stale. Once stopped, nothing fires.</summary>
    private void Schedule(ClockTimer timer, long? at)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            timer.Version++;
            if (at is { } due)
            {
                _due.Enqueue((timer, timer.Version), due);
            }

            _wake.Set();
        }
    }

    private void Run()
    {
        while (true)
        {
            ClockTimer? fire = null;
            var wait = Timeout.Infinite;
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                while (_due.TryPeek(out var entry, out var at))
                {
                    if (entry.Version != entry.Timer.Version)
                    {
                        _due.Dequeue();
                        continue;
                    }

                    var ahead = GetElapsedTime(GetTimestamp(), at);
                    if (ahead > TimeSpan.Zero)
                    {
                        // Rounded up: a wait cut short would only mean another look at the queue.
                        wait = (int)Math.Ceiling(ahead.TotalMilliseconds);
                        break;
                    }

                    _due.Dequeue();
                    fire = entry.Timer;
                    if (fire.Period is { } period)
                    {
                        _due.Enqueue((fire, fire.Version), at + (long)(period.TotalSeconds * Stopwatch.Frequency));
                    }

                    break;
                }
            }

            if (fire is not null)
            {
                fire.Fire();
            }
            else
            {
                _wake.WaitOne(wait);
            }
        }
    }

    private sealed class ClockTimer(MediaClock clock, TimerCallback callback, object? state) : ITimer
    {
        public int Version { get; set; }

        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Period = period > TimeSpan.Zero ? period : null;
            clock.Schedule(this, dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetTimestamp() + (long)(Math.Max(0, dueTime.TotalSeconds) * Stopwatch.Frequency));
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Schedule(this, null);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
