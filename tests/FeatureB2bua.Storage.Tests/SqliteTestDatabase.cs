using FeatureB2bua.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace FeatureB2bua.Storage.Tests;

/// <summary>
/// A database file of its own for one test, in a directory that does not exist yet (the store must create it);
/// disposal disposes the stores opened on it, closes the pooled connections and deletes the lot.
/// </summary>
public sealed class SqliteTestDatabase : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("featureb2bua-storage-").FullName;
    private readonly List<SqliteStore> _stores = [];

    public string FilePath => Path.Combine(_root, "data", "b2bua.db");

    public string ConnectionString => $"Data Source={FilePath}";

    /// <summary>A new store object on the file, as a new process would open it.</summary>
    public SqliteStore OpenStore()
    {
        var store = new SqliteStore(ConnectionString);
        _stores.Add(store);
        return store;
    }

    /// <summary>Closes the idle pooled connections, so the next store really opens the file again.</summary>
    public void ClosePooledConnections()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Runs one SQL statement on a connection of the test's own, outside any store.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public void Dispose()
    {
        _stores.ForEach(store => store.Dispose());
        ClosePooledConnections();
        Directory.Delete(_root, recursive: true);
    }
}
