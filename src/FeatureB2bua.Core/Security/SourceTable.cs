using System.Collections.Concurrent;
using System.Net;

namespace FeatureB2bua.Core.Security;

/// <summary>
/// The flood gate's per-source state, bounded so spoofed addresses cannot grow memory without limit: once past
/// <see cref="FloodOptions.MaxSources"/>, sources idle long enough to have refilled every bucket go (forgetting
/// them loses nothing), and if that is not enough the least recently seen tenth goes too.
/// </summary>
internal sealed class SourceTable(FloodOptions options, Func<IPAddress, bool> isExempt)
{
    private readonly ConcurrentDictionary<IPAddress, SourceState> _sources = new();
    private readonly Lock _sweep = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public SourceState Get(IPAddress source, long now, long frequency)
    {
        if (_sources.TryGetValue(source, out var state))
        {
            return state;
        }

        state = new SourceState(isExempt(source), options, now);
        if (!_sources.TryAdd(source, state))
        {
            return _sources[source];
        }

        if (Interlocked.Increment(ref _count) > options.MaxSources)
        {
            Shrink(now, frequency);
        }

        return state;
    }

    private void Shrink(long now, long frequency)
    {
        if (!_sweep.TryEnter())
        {
            return;
        }

        try
        {
            var idle = IdleSeconds();
            var all = _sources.ToArray();
            foreach (var (source, state) in all)
            {
                if ((now - Volatile.Read(ref state.LastSeen)) / (double)frequency > idle)
                {
                    Remove(source, state);
                }
            }

            var target = options.MaxSources - (options.MaxSources / 10);
            if (Count <= target)
            {
                return;
            }

            Array.Sort(all, (a, b) => Volatile.Read(ref a.Value.LastSeen).CompareTo(Volatile.Read(ref b.Value.LastSeen)));
            for (var i = 0; i < all.Length && Count > target; i++)
            {
                Remove(all[i].Key, all[i].Value);
            }
        }
        finally
        {
            _sweep.Exit();
        }
    }

    /// <summary>After this long without a request every bucket is full again and any rejection window is over.</summary>
    private double IdleSeconds() => Math.Max(
        options.BanWindow.TotalSeconds,
        Math.Max(Refill(options.Invite), Math.Max(Refill(options.Register), Refill(options.Other))));

    private static double Refill(BucketOptions bucket) => bucket.PermitsPerSecond > 0 ? bucket.Burst / bucket.PermitsPerSecond : double.PositiveInfinity;

    private void Remove(IPAddress source, SourceState state)
    {
        if (_sources.TryRemove(new KeyValuePair<IPAddress, SourceState>(source, state)))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
