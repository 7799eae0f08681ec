using FeatureB2bua.Core.Storage;
using Npgsql;

namespace FeatureB2bua.Storage.Postgres;

/// <summary>
/// The shared store: subscribers, registrar bindings, CDRs, the journal of open calls and node heartbeats in one
/// PostgreSQL database that several nodes use at once. Every operation takes a connection from Npgsql's pool for its
/// own duration, so one instance serves any number of concurrent callers. The schema is brought up to date on first
/// use. Times are written in whole milliseconds (truncated, as the SQLite store keeps them) and compared against the
/// caller's <c>now</c>, never the database's clock, so nodes agree with each other as far as their clocks do.
/// </summary>
public sealed partial class PostgresStore : IStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly RetryableOnce _migration;

    /// <param name="connectionString">An Npgsql connection string, e.g. <c>Host=db;Database=b2bua;Username=b2bua;Password=...</c>.</param>
    public PostgresStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _migration = new RetryableOnce(() => PostgresSchema.MigrateAsync(_dataSource));
    }

    /// <summary>
    /// Applies the schema steps this version knows and the database lacks. Safe to call any number of times and from
    /// several threads or nodes; after the first success it returns at once. A failed attempt is retried by the next call.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer version with more schema steps.</exception>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => _migration.RunAsync(cancellationToken);

    /// <summary>Whether the store can be used now, for a readiness probe: one round trip on a pooled connection.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand("SELECT 1;");
        await using var commandScope = command.ConfigureAwait(false);
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    /// <summary>The store's times: whole milliseconds in UTC, so a value reads back exactly as the SQLite store gives it.</summary>
    private static DateTimeOffset Ms(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private static object Ms(DateTimeOffset? time) => time is { } t ? Ms(t) : DBNull.Value;

    /// <summary>An open connection to the migrated database.</summary>
    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_migration.Succeeded)
        {
            await _migration.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> in a transaction of its own and commits it; a failure rolls it all back.</summary>
    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs one statement; returns how many rows it changed.</summary>
    private async Task<int> ExecuteAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand(sql, connection);
        await using var commandScope = command.ConfigureAwait(false);
        bind(command.Parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one query and reads every row with <paramref name="read"/>.</summary>
    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Action<NpgsqlParameterCollection> bind, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand(sql, connection);
        await using var commandScope = command.ConfigureAwait(false);
        bind(command.Parameters);
        return await ReadAllAsync(command, read, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static DateTimeOffset? GetTimeOrNull(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static string? GetStringOrNull(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
