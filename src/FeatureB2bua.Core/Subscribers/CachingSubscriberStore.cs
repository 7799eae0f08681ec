using System.Collections.Concurrent;

namespace FeatureB2bua.Core.Subscribers;

/// <summary>
/// A short-lived read cache in front of the subscriber store: every call reads its caller and each target, and
/// every REGISTER and INVITE challenge reads the subscriber again, so a second of caching saves most reads on a busy
/// node. Changes made through this node (admin API, CLI against the server, star codes, provisioning) go through
/// here and drop the entry at once; a change another node made shows after at most <see cref="Lifetime"/>. Unknown
/// users are cached too (a caller who is no subscriber asks every call), and the entries are bounded: past
/// <see cref="MaxEntries"/> the cache starts afresh, so random user names cannot grow it.
/// </summary>
public sealed class CachingSubscriberStore(ISubscriberStore inner, TimeProvider time, TimeSpan lifetime) : ISubscriberStore
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (Subscriber? Subscriber, long ReadAt)> _entries = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => lifetime;

    public async Task<Subscriber?> GetAsync(string user, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(user, out var entry) && time.GetElapsedTime(entry.ReadAt) < lifetime)
        {
            return entry.Subscriber;
        }

        var readAt = time.GetTimestamp();
        var subscriber = await inner.GetAsync(user, cancellationToken).ConfigureAwait(false);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[user] = (subscriber, readAt);
        return subscriber;
    }

    public Task<IReadOnlyList<Subscriber>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

    public async Task UpsertAsync(Subscriber subscriber, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        await inner.UpsertAsync(subscriber, cancellationToken).ConfigureAwait(false);
        _entries.TryRemove(subscriber.User, out _);
    }

    public async Task<bool> RemoveAsync(string user, CancellationToken cancellationToken = default)
    {
        var removed = await inner.RemoveAsync(user, cancellationToken).ConfigureAwait(false);
        _entries.TryRemove(user, out _);
        return removed;
    }
}
