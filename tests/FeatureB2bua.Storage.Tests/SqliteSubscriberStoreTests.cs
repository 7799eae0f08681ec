using FeatureB2bua.Core.Subscribers;

namespace FeatureB2bua.Storage.Tests;

/// <summary>The subscriber store contract against SQLite, a new database file per test.</summary>
public sealed class SqliteSubscriberStoreTests : SubscriberStoreContract, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override Task<ISubscriberStore> CreateStoreAsync() => Task.FromResult<ISubscriberStore>(_database.OpenStore());

    protected override Task<ISubscriberStore> ReopenStoreAsync()
    {
        _database.ClosePooledConnections();
        return Task.FromResult<ISubscriberStore>(_database.OpenStore());
    }
}
