using System.Collections.Concurrent;

namespace FeatureB2bua.Core.Authentication;

/// <summary>
/// Replay protection (RFC 2617 §3.2.2, RFC 7616 §3.4): for each nonce in use, the highest nonce-count seen;
/// a count that does not go up is a replay. Entries leave when their nonce would be stale anyway.
/// </summary>
public sealed class NonceCountTracker(TimeProvider time, TimeSpan nonceLifetime)
{
    private readonly ConcurrentDictionary<string, Entry> _seen = new(StringComparer.Ordinal);
    private long _calls;

    public int Count => _seen.Count;

    /// <summary>Records <paramref name="nonceCount"/> for the nonce; false when it is not higher than one seen before.</summary>
    public bool TryAccept(string nonce, uint nonceCount)
    {
        var now = time.GetUtcNow();
        if (Interlocked.Increment(ref _calls) % 1024 == 0)
        {
            Sweep(now);
        }

        while (true)
        {
            if (!_seen.TryGetValue(nonce, out var current))
            {
                if (_seen.TryAdd(nonce, new Entry(nonceCount, now)))
                {
                    return true;
                }

                continue;
            }

            if (nonceCount <= current.Highest)
            {
                return false;
            }

            if (_seen.TryUpdate(nonce, current with { Highest = nonceCount }, current))
            {
                return true;
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (nonce, entry) in _seen)
        {
            if (now - entry.FirstSeen > nonceLifetime * 2)
            {
                _seen.TryRemove(new KeyValuePair<string, Entry>(nonce, entry));
            }
        }
    }

    private readonly record struct Entry(uint Highest, DateTimeOffset FirstSeen);
}
