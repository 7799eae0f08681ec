using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Storage.Tests;

/// <summary>The subscriber store contract against PostgreSQL: one server for the class, a new database per test.</summary>
[RequiresPostgres]
public sealed class PostgresSubscriberStoreTests(PostgresServerFixture server) : SubscriberStoreContract, IClassFixture<PostgresServerFixture>, IDisposable
{
    private readonly PostgresTestDatabase _database = new(server);

    public void Dispose() => _database.Dispose();

    protected override async Task<ISubscriberStore> CreateStoreAsync() => await _database.CreateAsync();

    protected override Task<ISubscriberStore> ReopenStoreAsync() => Task.FromResult<ISubscriberStore>(_database.OpenStore());
}
