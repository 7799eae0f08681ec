using System.Globalization;
using Xunit;

namespace FeatureB2bua.Tests.Common;

/// <summary>One PostgreSQL server per test class (an xunit class fixture); each test takes a database of its own from it.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private int _databases;

    public async Task InitializeAsync()
    {
        // Skipped here (no server, not CI): the tests do not run, so there is nothing to start.
        if (PostgresServer.SkipReason is null)
        {
            _server = await PostgresServer.StartAsync();
        }
    }

    /// <summary>A new, empty database; returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync() =>
        _server!.CreateDatabaseAsync("test_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
