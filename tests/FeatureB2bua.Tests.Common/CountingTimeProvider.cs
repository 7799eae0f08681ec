namespace FeatureB2bua.Tests.Common;

/// <summary>
/// The system clock, counting the timers it has created that are not yet disposed: a count that does not come back
/// down after the work is done is a timer somebody forgot (and a callback that may still fire into a dead object).
/// </summary>
public sealed class CountingTimeProvider : TimeProvider
{
    private readonly TimeProvider _inner = TimeProvider.System;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, string> _owners = new();
    private long _live;
    private long _created;

    public long LiveTimers => Interlocked.Read(ref _live);

    public long CreatedTimers => Interlocked.Read(ref _created);

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _created);
        Interlocked.Increment(ref _live);
        var timer = new CountedTimer(this, _inner.CreateTimer(callback, state, dueTime, period));
        _owners[timer] = $"{callback.Method.DeclaringType?.FullName}.{callback.Method.Name} ({state?.GetType().FullName ?? "no state"})";
        return timer;
    }

    /// <summary>Whose timers are still live, by callback and state type: what to look at when <see cref="LiveTimers"/> does not come down.</summary>
    public string LiveOwners() => string.Join(", ", _owners.Values.GroupBy(o => o).Select(g => $"{g.Count()} x {g.Key}"));

    private sealed class CountedTimer(CountingTimeProvider owner, ITimer inner) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._live);
                owner._owners.TryRemove(this, out _);
            }

            inner.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._live);
                owner._owners.TryRemove(this, out _);
            }

            await inner.DisposeAsync();
        }
    }
}
