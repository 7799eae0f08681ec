using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Storage.Sqlite;

namespace FeatureB2bua.Storage.Tests;

/// <summary>What the SQLite columns hold, for anyone reading the file with the sqlite3 shell or migrating it later.</summary>
public sealed class SqliteColumnFormatTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task FeaturesColumn_AfterUpsert_HoldsCamelCaseJson()
    {
        var store = _database.OpenStore();
        await store.UpsertAsync(new Subscriber("alice", "md5", "sha256")
        {
            MayRegister = ["bob"],
            Features = new SubscriberFeatures { ForwardBusy = "sip:carol@example.test", NoAnswerTimeoutSeconds = 6, MusicOnHold = false },
        });

        var features = (string)(await _database.ScalarAsync("SELECT features FROM subscribers WHERE user = 'alice';"))!;

        Assert.Contains("\"forwardBusy\":\"sip:carol@example.test\"", features, StringComparison.Ordinal);
        Assert.Contains("\"noAnswerTimeoutSeconds\":6", features, StringComparison.Ordinal);
        Assert.Contains("\"musicOnHold\":false", features, StringComparison.Ordinal);
        Assert.Equal("[\"bob\"]", await _database.ScalarAsync("SELECT may_register FROM subscribers WHERE user = 'alice';"));
    }

    [Fact]
    public async Task FeaturesColumn_FeatureMissingFromJson_ReadsItsDefault()
    {
        var store = _database.OpenStore();
        await store.MigrateAsync();
        await _database.ScalarAsync(
            """INSERT INTO subscribers (user, ha1_md5, ha1_sha256, may_register, features) VALUES ('alice', 'md5', 'sha256', '[]', '{"forwardBusy":"sip:carol@example.test"}');""");

        var alice = await store.GetAsync("alice");

        Assert.Equal(new SubscriberFeatures { ForwardBusy = "sip:carol@example.test" }, alice!.Features);
    }

    [Fact]
    public async Task ExpiresAtColumn_AfterApply_HoldsUnixMilliseconds()
    {
        var store = _database.OpenStore();
        await store.ApplyAsync("alice@example.test", [], [new Binding("alice@example.test", "sip:alice@192.0.2.10", 1000, Now.AddHours(1), "c", 1, "udp:192.0.2.10:5060", Now)]);

        Assert.Equal(Now.AddHours(1).ToUnixTimeMilliseconds(), await _database.ScalarAsync("SELECT expires_at FROM bindings;"));
        Assert.Equal(Now.ToUnixTimeMilliseconds(), await _database.ScalarAsync("SELECT updated_at FROM bindings;"));
    }

    [Fact]
    public async Task CdrsColumns_AfterAdd_HoldUnixMillisecondsAndAJsonArray()
    {
        var store = _database.OpenStore();
        await store.AddAsync([new CallRecord("c", "sip:alice@example.test", "sip:bob@example.test", null, Now, Now.AddSeconds(1), Now.AddSeconds(2), "answered", 200, null) { Features = ["forwardBusy"] }]);

        Assert.Equal(Now.ToUnixTimeMilliseconds(), await _database.ScalarAsync("SELECT setup_at FROM cdrs;"));
        Assert.Equal(Now.AddSeconds(1).ToUnixTimeMilliseconds(), await _database.ScalarAsync("SELECT answered_at FROM cdrs;"));
        Assert.Equal(Now.AddSeconds(2).ToUnixTimeMilliseconds(), await _database.ScalarAsync("SELECT ended_at FROM cdrs;"));
        Assert.Equal("[\"forwardBusy\"]", await _database.ScalarAsync("SELECT features FROM cdrs;"));
    }
}
