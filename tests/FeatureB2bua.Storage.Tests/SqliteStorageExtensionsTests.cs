using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Storage.Tests;

public sealed class SqliteStorageExtensionsTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AddSqliteStorage_EveryStoreInterface_ResolvesToOneWorkingStore()
    {
        await using var services = new ServiceCollection().AddSqliteStorage(_database.ConnectionString).BuildServiceProvider();

        var subscribers = services.GetRequiredService<ISubscriberStore>();
        var locations = services.GetRequiredService<ILocationStore>();

        Assert.Same(subscribers, locations);
        Assert.Same(subscribers, services.GetRequiredService<ICallRecordStore>());
        Assert.Same(subscribers, services.GetRequiredService<SqliteStore>());
        Assert.Empty(await subscribers.ListAsync());
    }
}
