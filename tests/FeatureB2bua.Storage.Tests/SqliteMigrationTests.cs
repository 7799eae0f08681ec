using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Storage.Sqlite;

namespace FeatureB2bua.Storage.Tests;

/// <summary>Creating, reopening and upgrading the SQLite file: the parts of the SQLite store the contracts cannot see.</summary>
public sealed class SqliteMigrationTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task MigrateAsync_MissingDirectory_CreatesDirectoryAndFile()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(_database.FilePath)));

        await _database.OpenStore().MigrateAsync();

        Assert.True(File.Exists(_database.FilePath));
    }

    [Fact]
    public async Task MigrateAsync_NewDatabase_UsesWriteAheadLog()
    {
        await _database.OpenStore().MigrateAsync();

        Assert.Equal("wal", await _database.ScalarAsync("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task MigrateAsync_CalledTwice_AppliesEachStepOnce()
    {
        var store = _database.OpenStore();
        await store.MigrateAsync();
        var version = await SchemaVersionAsync();

        await store.MigrateAsync();
        await _database.OpenStore().MigrateAsync();

        Assert.True(version >= 1);
        Assert.Equal(version, await SchemaVersionAsync());
        Assert.Equal(version, await _database.ScalarAsync("SELECT COUNT(*) FROM schema_version;"));
    }

    [Fact]
    public async Task MigrateAsync_ExistingDatabase_KeepsItsData()
    {
        var first = _database.OpenStore();
        await first.UpsertAsync(new Subscriber("alice", "md5", "sha256"));
        await first.ApplyAsync("alice@example.test", [], [new Binding("alice@example.test", "sip:alice@192.0.2.10", 1000, Now.AddHours(1), "c", 1, "udp:192.0.2.10:5060", Now)]);
        _database.ClosePooledConnections();

        var second = _database.OpenStore();
        await second.MigrateAsync();

        Assert.NotNull(await second.GetAsync("alice"));
        Assert.Equal(1, await second.CountAsync(Now));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseFromNewerVersion_ThrowsAndLeavesItAlone()
    {
        await _database.OpenStore().MigrateAsync();
        var version = await SchemaVersionAsync();
        await _database.ScalarAsync($"INSERT INTO schema_version (version, applied_at) VALUES ({version + 1}, 0);");

        var store = _database.OpenStore();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.GetAsync("alice"));
        Assert.Equal(version + 1, await SchemaVersionAsync());
    }

    [Fact]
    public async Task FirstUse_ConcurrentCallers_AllSucceedOnOneSchema()
    {
        var store = _database.OpenStore();

        var counts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.CountAsync(Now))));

        Assert.All(counts, count => Assert.Equal(0, count));
        Assert.Equal(await SchemaVersionAsync(), await _database.ScalarAsync("SELECT COUNT(*) FROM schema_version;"));
    }

    private async Task<long> SchemaVersionAsync() => (long)(await _database.ScalarAsync("SELECT MAX(version) FROM schema_version;"))!;
}
