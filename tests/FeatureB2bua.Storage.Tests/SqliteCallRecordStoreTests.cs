using FeatureB2bua.Core.Calls;

namespace FeatureB2bua.Storage.Tests;

/// <summary>The CDR store contract against SQLite, a new database file per test.</summary>
public sealed class SqliteCallRecordStoreTests : CallRecordStoreContract, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override Task<ICallRecordStore> CreateStoreAsync() => Task.FromResult<ICallRecordStore>(_database.OpenStore());

    protected override Task<ICallRecordStore> ReopenStoreAsync()
    {
        _database.ClosePooledConnections();
        return Task.FromResult<ICallRecordStore>(_database.OpenStore());
    }
}
