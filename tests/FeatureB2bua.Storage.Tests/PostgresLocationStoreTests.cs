using FeatureB2bua.Core.Registration;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Storage.Tests;

/// <summary>The location store contract against PostgreSQL: one server for the class, a new database per test.</summary>
[RequiresPostgres]
public sealed class PostgresLocationStoreTests(PostgresServerFixture server) : LocationStoreContract, IClassFixture<PostgresServerFixture>, IDisposable
{
    private readonly PostgresTestDatabase _database = new(server);

    public void Dispose() => _database.Dispose();

    protected override async Task<ILocationStore> CreateStoreAsync() => await _database.CreateAsync();

    protected override Task<ILocationStore> ReopenStoreAsync() => Task.FromResult<ILocationStore>(_database.OpenStore());
}
