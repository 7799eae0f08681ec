using FeatureB2bua.Core.Calls;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Storage.Tests;

/// <summary>The CDR store contract against PostgreSQL: one server for the class, a new database per test.</summary>
[RequiresPostgres]
public sealed class PostgresCallRecordStoreTests(PostgresServerFixture server) : CallRecordStoreContract, IClassFixture<PostgresServerFixture>, IDisposable
{
    private readonly PostgresTestDatabase _database = new(server);

    public void Dispose() => _database.Dispose();

    protected override async Task<ICallRecordStore> CreateStoreAsync() => await _database.CreateAsync();

    protected override Task<ICallRecordStore> ReopenStoreAsync() => Task.FromResult<ICallRecordStore>(_database.OpenStore());
}
