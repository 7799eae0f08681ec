using FeatureB2bua.Core.Subscribers;

namespace FeatureB2bua.Benchmarks;

/// <summary>A store with no subscribers, for benchmarks whose calls and features must not wait on a database.</summary>
internal sealed class NoSubscribers : ISubscriberStore
{
    public Task<Subscriber?> GetAsync(string user, CancellationToken cancellationToken = default) => Task.FromResult<Subscriber?>(null);

    public Task<IReadOnlyList<Subscriber>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<Subscriber>>([]);

    public Task UpsertAsync(Subscriber subscriber, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<bool> RemoveAsync(string user, CancellationToken cancellationToken = default) => Task.FromResult(true);
}
