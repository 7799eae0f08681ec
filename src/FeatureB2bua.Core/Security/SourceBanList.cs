using System.Collections.Concurrent;
using System.Net;

namespace FeatureB2bua.Core.Security;

/// <summary>
/// The pike-style ban list: a banned source's packets are dropped before parsing until its ban lapses. Bounded
/// by <see cref="FloodOptions.MaxSources"/>: when full, lapsed bans go first, then those closest to lapsing.
/// </summary>
public sealed class SourceBanList(TimeProvider time, int capacity)
{
    private readonly ConcurrentDictionary<IPAddress, SourceBan> _bans = new();
    private readonly Lock _sweep = new();
    private int _count;

    /// <summary>Bans held, lapsed ones included until the next look at them.</summary>
    public int Count => Volatile.Read(ref _count);

    public bool IsBanned(IPAddress source)
    {
        // The common case, no bans at all, reads one field.
        if (Volatile.Read(ref _count) == 0 || !_bans.TryGetValue(source, out var ban))
        {
            return false;
        }

        if (ban.Until > time.GetUtcNow())
        {
            return true;
        }

        Remove(ban);
        return false;
    }

    /// <summary>Bans <paramref name="source"/>; true when it was not banned already (a new ban to count).</summary>
    public bool Ban(IPAddress source, TimeSpan duration, string reason)
    {
        var ban = new SourceBan(source, time.GetUtcNow() + duration, reason);
        var added = false;
        _bans.AddOrUpdate(source, _ => { added = true; return ban; }, (_, _) => ban);
        if (added && Interlocked.Increment(ref _count) > capacity)
        {
            Shrink();
        }

        return added;
    }

    public bool Lift(IPAddress source)
    {
        if (!_bans.TryRemove(source, out _))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>The bans in force, soonest to lapse first; lapsed ones are removed on the way.</summary>
    public IReadOnlyList<SourceBan> Current()
    {
        var now = time.GetUtcNow();
        var current = new List<SourceBan>();
        foreach (var (_, ban) in _bans)
        {
            if (ban.Until > now)
            {
                current.Add(ban);
            }
            else
            {
                Remove(ban);
            }
        }

        current.Sort((a, b) => a.Until.CompareTo(b.Until));
        return current;
    }

    private void Remove(SourceBan ban)
    {
        if (_bans.TryRemove(new KeyValuePair<IPAddress, SourceBan>(ban.Source, ban)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Drops lapsed bans, then a tenth of the capacity closest to lapsing, so the next shrink is far off.</summary>
    private void Shrink()
    {
        if (!_sweep.TryEnter())
        {
            return;
        }

        try
        {
            var current = Current();
            for (var i = 0; i < current.Count && Count > capacity - (capacity / 10); i++)
            {
                Remove(current[i]);
            }
        }
        finally
        {
            _sweep.Exit();
        }
    }
}
