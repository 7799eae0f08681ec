using FeatureB2bua.Core.Calls;
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
    public async Task MigrateAsync_VersionOneDatabase_AddsTheCdrTableAndKeepsItsData()
    {
        await CreateVersionOneDatabaseAsync();

        var store = _database.OpenStore();
        await store.MigrateAsync();
        var record = new CallRecord("call-1", "sip:alice@example.test", "sip:bob@example.test", null, Now, null, Now.AddSeconds(3), "failed", 486, "busy");
        await store.AddAsync([record]);

        Assert.True(await SchemaVersionAsync() >= 2);
        Assert.NotNull(await store.GetAsync("alice"));
        Assert.Equal(1, await store.CountAsync(Now));
        Assert.Equal(record, Assert.Single(await store.ListRecentAsync(10)) with { Features = record.Features });
    }

    [Fact]
    public async Task MigrateAsync_VersionTwoDatabase_AddsTheJournalOfOpenCallsAndKeepsTheCdrs()
    {
        await CreateVersionOneDatabaseAsync();
        var store = _database.OpenStore();
        await store.MigrateAsync();
        var record = new CallRecord("call-1", "sip:alice@example.test", "sip:bob@example.test", null, Now, null, Now.AddSeconds(3), "failed", 486, "busy");
        await store.AddAsync([record]);
        await _database.ScalarAsync("DROP TABLE open_calls; DROP TABLE nodes; DELETE FROM schema_version WHERE version > 2;");
        _database.ClosePooledConnections();

        var upgraded = _database.OpenStore();
        await upgraded.RecordAsync([new OpenCall("call-2", "sip:alice@example.test", "sip:bob@example.test", Now, null, Now.AddSeconds(4)) { Node = "node-1" }], []);

        Assert.True(await SchemaVersionAsync() >= 3);
        Assert.Single(await upgraded.CloseInterruptedAsync("node-1"));
        Assert.Equal(["call-2", "call-1"], (await upgraded.ListRecentAsync(10)).Select(r => r.CallId));
    }

    [Fact]
    public async Task MigrateAsync_VersionThreeDatabase_JournalRowsBelongToNoNodeAndCountAsSilent()
    {
        await _database.OpenStore().MigrateAsync();
        await _database.ScalarAsync(
            $"""
            DROP TABLE nodes; DROP INDEX open_calls_node;
            ALTER TABLE open_calls DROP COLUMN node; ALTER TABLE open_calls DROP COLUMN legs;
            DELETE FROM schema_version WHERE version > 3;
            INSERT INTO open_calls (call_id, caller, dialled, setup_at, answered_at, seen_at)
            VALUES ('old-call', 'sip:alice@example.test', 'sip:bob@example.test', {Now.ToUnixTimeMilliseconds()}, NULL, {Now.ToUnixTimeMilliseconds()});
            """);
        _database.ClosePooledConnections();

        var upgraded = _database.OpenStore();

        Assert.Equal([""], await upgraded.ListSilentNodesAsync("node-1", Now.AddSeconds(1)));
        var closed = Assert.Single(await upgraded.CloseInterruptedAsync(""));
        Assert.Equal(("old-call", "", null), (closed.CallId, closed.Node, closed.Legs));
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

    /// <summary>The database the first release left behind: its one schema step as shipped, with a subscriber and a binding in it.</summary>
    private async Task CreateVersionOneDatabaseAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.FilePath)!);
        var expiresAt = Now.AddHours(1).ToUnixTimeMilliseconds();
        await _database.ScalarAsync(
            $$"""
            PRAGMA journal_mode = WAL;
            CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);
            CREATE TABLE subscribers (
                user         TEXT NOT NULL PRIMARY KEY,
                ha1_md5      TEXT NOT NULL,
                ha1_sha256   TEXT NOT NULL,
                may_register TEXT NOT NULL,
                features     TEXT NOT NULL
            );
            CREATE TABLE bindings (
                aor        TEXT    NOT NULL,
                contact    TEXT    NOT NULL,
                q          INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                call_id    TEXT    NOT NULL,
                cseq       INTEGER NOT NULL,
                source     TEXT    NOT NULL,
                user_agent TEXT,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (aor, contact)
            );
            CREATE INDEX bindings_expires_at ON bindings (expires_at);
            INSERT INTO schema_version (version, applied_at) VALUES (1, 0);
            INSERT INTO subscribers VALUES ('alice', 'md5', 'sha256', '[]', '{}');
            INSERT INTO bindings VALUES ('alice@example.test', 'sip:alice@192.0.2.10', 1000, {{expiresAt}}, 'c', 1, 'udp:192.0.2.10:5060', NULL, 0);
            """);
        _database.ClosePooledConnections();
    }

    private async Task<long> SchemaVersionAsync() => (long)(await _database.ScalarAsync("SELECT MAX(version) FROM schema_version;"))!;
}
