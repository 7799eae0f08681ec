namespace FeatureB2bua.Core.Subscribers;

/// <summary>Subscribers and their features; the embedded default is SQLite, several nodes share PostgreSQL.</summary>
public interface ISubscriberStore
{
    Task<Subscriber?> GetAsync(string user, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Subscriber>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds the subscriber or replaces the one with the same user name.</summary>
    Task UpsertAsync(Subscriber subscriber, CancellationToken cancellationToken = default);

    /// <summary>Returns false when there was no such subscriber.</summary>
    Task<bool> RemoveAsync(string user, CancellationToken cancellationToken = default);
}
