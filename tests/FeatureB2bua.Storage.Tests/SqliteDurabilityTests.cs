using FeatureB2bua.Core.Registration;

namespace FeatureB2bua.Storage.Tests;

/// <summary>
/// A binding whose 200 OK was sent must survive kill -9 of the process. What survives a killed process is what its
/// files hold (the OS keeps writes handed to it), so a copy of the files taken while the store is still open and
/// never shut down is the database a restart after kill -9 would find.
/// </summary>
public sealed class SqliteDurabilityTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private readonly SqliteTestDatabase _database = new();
    private readonly SqliteTestDatabase _copy = new();

    public void Dispose()
    {
        _database.Dispose();
        _copy.Dispose();
    }

    [Fact]
    public async Task FilesOfAnOpenStore_AfterApplyReturns_HoldTheBinding()
    {
        var store = _database.OpenStore();
        var binding = new Binding("alice@example.test", "sip:alice@192.0.2.10:5062", 1000, Now.AddHours(1), "call-1", 1, "udp:192.0.2.10:5062", Now);
        await store.ApplyAsync(binding.Aor, [], [binding]);

        Assert.True(File.Exists(_database.FilePath + "-wal"));
        Directory.CreateDirectory(Path.GetDirectoryName(_copy.FilePath)!);
        File.Copy(_database.FilePath, _copy.FilePath);
        File.Copy(_database.FilePath + "-wal", _copy.FilePath + "-wal");

        Assert.Equal([binding], await _copy.OpenStore().GetBindingsAsync(binding.Aor, Now));
    }
}
