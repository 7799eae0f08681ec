using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Core.Tests.Subscribers;

/// <summary>The subscriber cache: reads reused within their lifetime and no longer, changes through it seen at once, and bounded.</summary>
public sealed class CachingSubscriberStoreTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);
    private readonly ManualTimeProvider _clock = new();
    private readonly CountingStore _store = new();

    [Fact]
    public async Task Reads_AreReusedWithinTheLifetime_AndReadAgainAfterIt()
    {
        var cache = new CachingSubscriberStore(_store, _clock, Lifetime);
        await _store.UpsertAsync(new Subscriber("bob", "a", "b"));

        Assert.Equal("bob", (await cache.GetAsync("bob"))!.User);
        _clock.Advance(TimeSpan.FromSeconds(1.9));
        await cache.GetAsync("bob");
        Assert.Equal(1, _store.Reads);

        _clock.Advance(TimeSpan.FromSeconds(0.2));
        await cache.GetAsync("bob");
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task UnknownUsers_AreCachedToo()
    {
        var cache = new CachingSubscriberStore(_store, _clock, Lifetime);

        Assert.Null(await cache.GetAsync("nobody"));
        Assert.Null(await cache.GetAsync("nobody"));

        Assert.Equal(1, _store.Reads);
    }

    [Fact]
    public async Task ChangesThroughTheCache_AreSeenAtOnce()
    {
        var cache = new CachingSubscriberStore(_store, _clock, Lifetime);
        Assert.Null(await cache.GetAsync("carol"));

        await cache.UpsertAsync(new Subscriber("carol", "a", "b") { Features = new SubscriberFeatures { ForwardBusy = "dave" } });
        Assert.Equal("dave", (await cache.GetAsync("carol"))!.Features.ForwardBusy);

        await cache.RemoveAsync("carol");
        Assert.Null(await cache.GetAsync("carol"));
    }

    [Fact]
    public async Task ManyDistinctUsers_DoNotGrowItPastItsBound()
    {
        var cache = new CachingSubscriberStore(_store, _clock, Lifetime);

        for (var i = 0; i <= CachingSubscriberStore.MaxEntries; i++)
        {
            await cache.GetAsync("random" + i);
        }

        // The bound was reached once and the cache started afresh: the first name is read again.
        await cache.GetAsync("random0");
        Assert.Equal(CachingSubscriberStore.MaxEntries + 2, _store.Reads);
    }

    private sealed class CountingStore : ISubscriberStore
    {
        private readonly Dictionary<string, Subscriber> _subscribers = [];

        public int Reads { get; private set; }

        public Task<Subscriber?> GetAsync(string user, CancellationToken cancellationToken = default)
        {
            Reads++;
            return Task.FromResult(_subscribers.GetValueOrDefault(user));
        }

        public Task<IReadOnlyList<Subscriber>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<Subscriber>>([.. _subscribers.Values]);

        public Task UpsertAsync(Subscriber subscriber, CancellationToken cancellationToken = default)
        {
            _subscribers[subscriber.User] = subscriber;
            return Task.CompletedTask;
        }

        public Task<bool> RemoveAsync(string user, CancellationToken cancellationToken = default) => Task.FromResult(_subscribers.Remove(user));
    }
}
