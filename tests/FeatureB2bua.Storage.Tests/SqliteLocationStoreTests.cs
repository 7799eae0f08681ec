using FeatureB2bua.Core.Registration;

namespace FeatureB2bua.Storage.Tests;

/// <summary>The location store contract against SQLite, a new database file per test.</summary>
public sealed class SqliteLocationStoreTests : LocationStoreContract, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override Task<ILocationStore> CreateStoreAsync() => Task.FromResult<ILocationStore>(_database.OpenStore());

    protected override Task<ILocationStore> ReopenStoreAsync()
    {
        _database.ClosePooledConnections();
        return Task.FromResult<ILocationStore>(_database.OpenStore());
    }
}
