using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Storage.Tests;

/// <summary>What the contracts cannot see of the PostgreSQL store: migrating from several nodes, the reap-once lock, column formats, registration.</summary>
[RequiresPostgres]
public sealed class PostgresStoreTests(PostgresServerFixture server) : IClassFixture<PostgresServerFixture>, IDisposable
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private readonly PostgresTestDatabase _database = new(server);

    public void Dispose() => _database.Dispose();

    [StoreFact]
    public async Task MigrateAsync_SeveralNodesStartingTogether_ApplyEachStepOnce()
    {
        var first = await _database.CreateAsync();
        var nodes = Enumerable.Range(0, 4).Select(_ => _database.OpenStore()).Prepend(first).ToList();

        await Task.WhenAll(nodes.Select(node => Task.Run(() => node.MigrateAsync())));

        Assert.Equal((long)PostgresSchema.LatestVersion, await ScalarAsync("SELECT COUNT(*) FROM schema_version;"));
        Assert.Equal(PostgresSchema.LatestVersion, await ScalarAsync("SELECT MAX(version) FROM schema_version;"));
        Assert.All(await Task.WhenAll(nodes.Select(node => node.CountAsync(Now))), count => Assert.Equal(0, count));
    }

    [StoreFact]
    public async Task MigrateAsync_DatabaseFromNewerVersion_ThrowsAndLeavesItAlone()
    {
        await (await _database.CreateAsync()).MigrateAsync();
        await ScalarAsync($"INSERT INTO schema_version (version) VALUES ({PostgresSchema.LatestVersion + 1});");

        var store = _database.OpenStore();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.GetAsync("alice"));
    }

    [StoreFact]
    public async Task RemoveExpiredAsync_AnotherNodeReapingNow_ReturnsZeroAndLeavesTheRowsToIt()
    {
        var store = await _database.CreateAsync();
        await store.ApplyAsync("alice@example.test", [], [Binding("sip:alice@192.0.2.10", Now)]);
        await using var otherNode = new NpgsqlConnection(_database.ConnectionString);
        await otherNode.OpenAsync();
        await using var reaping = await otherNode.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgresStore.ReaperLock});", otherNode, reaping))
        {
            await take.ExecuteNonQueryAsync();
        }

        Assert.Equal(0, await store.RemoveExpiredAsync(Now.AddSeconds(1)));
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM bindings;"));

        await reaping.RollbackAsync();
        Assert.Equal(1, await store.RemoveExpiredAsync(Now.AddSeconds(1)));
    }

    [StoreFact]
    public async Task RemoveExpiredAsync_TwoNodesAtOnce_ReapEachBindingOnce()
    {
        var first = await _database.CreateAsync();
        var second = _database.OpenStore();
        await first.ApplyAsync("alice@example.test", [], [.. Enumerable.Range(0, 50).Select(i => Binding($"sip:alice@192.0.2.{i}", Now))]);

        var reaped = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).RemoveExpiredAsync(Now.AddSeconds(1)))));

        Assert.Equal(50, reaped.Sum());
    }

    [StoreFact]
    public async Task Times_SubMillisecond_AreKeptAsTimestamptzInWholeMilliseconds()
    {
        var store = await _database.CreateAsync();
        var expires = Now.AddTicks(9999);

        await store.ApplyAsync("alice@example.test", [], [Binding("sip:alice@192.0.2.10", expires)]);

        Assert.Equal(Now, Assert.Single(await store.ListAsync(Now.AddTicks(-1))).ExpiresAt);
        Assert.Equal("timestamp with time zone", await ScalarAsync("SELECT data_type FROM information_schema.columns WHERE table_name = 'bindings' AND column_name = 'expires_at';"));
        Assert.Equal(new DateTime(2030, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc), await ScalarAsync("SELECT expires_at FROM bindings;"));
    }

    [StoreFact]
    public async Task FeaturesColumn_AfterUpsert_HoldsCamelCaseJsonb()
    {
        var store = await _database.CreateAsync();
        await store.UpsertAsync(new Subscriber("alice", "md5", "sha256")
        {
            MayRegister = ["bob"],
            Features = new SubscriberFeatures { ForwardBusy = "sip:carol@example.test", NoAnswerTimeoutSeconds = 6 },
        });

        Assert.Equal("sip:carol@example.test", await ScalarAsync("SELECT features->>'forwardBusy' FROM subscribers WHERE user_name = 'alice';"));
        Assert.Equal(6, await ScalarAsync("SELECT (features->>'noAnswerTimeoutSeconds')::int FROM subscribers WHERE user_name = 'alice';"));
        Assert.Equal("bob", await ScalarAsync("SELECT may_register->>0 FROM subscribers WHERE user_name = 'alice';"));
    }

    [StoreFact]
    public async Task AddPostgresStorage_EveryStoreInterface_ResolvesToOneWorkingStore()
    {
        await (await _database.CreateAsync()).MigrateAsync();
        await using var services = new ServiceCollection().AddPostgresStorage(_database.ConnectionString).BuildServiceProvider();

        var subscribers = services.GetRequiredService<ISubscriberStore>();

        Assert.Same(subscribers, services.GetRequiredService<ILocationStore>());
        Assert.Same(subscribers, services.GetRequiredService<Core.Calls.ICallRecordStore>());
        Assert.Same(subscribers, services.GetRequiredService<Core.Storage.IStore>());
        Assert.Empty(await subscribers.ListAsync());
        await services.GetRequiredService<PostgresStore>().PingAsync();
    }

    private static Binding Binding(string contact, DateTimeOffset expiresAt) =>
        new("alice@example.test", contact, 1000, expiresAt, "call-1", 1, "udp:192.0.2.10:5060", Now.AddHours(-1));

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
