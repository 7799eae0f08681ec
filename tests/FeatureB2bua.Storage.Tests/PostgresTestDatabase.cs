using FeatureB2bua.Storage.Postgres;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Storage.Tests;

/// <summary>A database of its own for one test on the class's server; disposal disposes the stores opened on it.</summary>
public sealed class PostgresTestDatabase(PostgresServerFixture server) : IDisposable
{
    private readonly List<PostgresStore> _stores = [];
    private string? _connectionString;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("No database yet: call CreateAsync first.");

    /// <summary>A new empty database and a store on it.</summary>
    public async Task<PostgresStore> CreateAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        return OpenStore();
    }

    /// <summary>A new store object (with a pool of its own) on the database, as a new process or another node would open it.</summary>
    public PostgresStore OpenStore()
    {
        var store = new PostgresStore(ConnectionString);
        _stores.Add(store);
        return store;
    }

    public void Dispose() => _stores.ForEach(store => store.Dispose());
}
