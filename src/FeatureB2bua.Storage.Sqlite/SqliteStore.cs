using FeatureB2bua.Core.Storage;
using Microsoft.Data.Sqlite;

namespace FeatureB2bua.Storage.Sqlite;

/// <summary>
/// The embedded store: subscribers, registrar bindings and CDRs in one SQLite file. Every operation opens its own
/// connection (Microsoft.Data.Sqlite pools them, and a connection must not be shared between threads), so one
/// instance serves any number of concurrent callers. The schema is brought up to date on first use. Disposing is
/// optional (every write is committed when its call returns) and closes the pooled connections to the file.
/// </summary>
public sealed partial class SqliteStore : IStore
{
    // Durability: the registrar sends 200 OK only after ApplyAsync has committed. In WAL mode with synchronous=NORMAL,
    // COMMIT returns once the transaction is written to the WAL file (handed to the OS); only the fsync waits for the
    // next checkpoint. So a kill -9 of this process loses no committed binding; an OS crash or power loss can roll back
    // the last commits (without corrupting the file), which we accept: phones register again.
    // The busy timeout makes a writer wait for another process's write lock instead of failing with SQLITE_BUSY.
    private const string ConnectionPragmas = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;";

    private readonly string _connectionString;
    private readonly string? _databaseFile;

    // This process's writers take turns here, waiting without blocking a thread, so SQLite's busy handler (which sleeps
    // in steps of up to 100 ms) only comes into play when another process writes to the same file.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly RetryableOnce _migration;

    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=data/b2bua.db</c>; the file's directory is created if missing.</param>
    public SqliteStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        _connectionString = builder.ToString();
        _databaseFile = IsFile(builder) ? Path.GetFullPath(builder.DataSource) : null;
        _migration = new RetryableOnce(MigrateCoreAsync);
    }

    /// <summary>
    /// Applies the schema steps this version knows and the database lacks. Safe to call any number of times and from
    /// several threads or processes; after the first success it returns at once. A failed attempt is retried by the next call.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer version with more schema steps.</exception>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => _migration.RunAsync(cancellationToken);

    /// <summary>
    /// Whether the store can be used now, for a readiness probe: one read of the schema on a connection of its own.
    /// Outside the pool, because a pooled connection keeps its file open and would go on working on a file since
    /// deleted or on a disk since unmounted; and without creating the file, which would hide that it is gone.
    /// </summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var builder = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false };
        if (_databaseFile is not null && builder.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        var connection = new SqliteConnection(builder.ToString());
        await using var connectionScope = connection.ConfigureAwait(false);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandText = "SELECT count(*) FROM sqlite_master;";
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _writeGate.Dispose();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>An open connection to the migrated database.</summary>
    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_migration.Succeeded)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="write"/> on a connection of its own once this process's earlier writes are done.</summary>
    private async Task WriteAsync(Func<SqliteConnection, Task> write, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            await write(connection).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs one writing statement under the write gate; returns how many rows it changed.</summary>
    private async Task<int> ExecuteWriteAsync(string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        var changed = 0;
        await WriteAsync(
            async connection =>
            {
                var command = connection.CreateCommand();
                await using var commandScope = command.ConfigureAwait(false);
                command.CommandText = sql;
                bind(command.Parameters);
                changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private async Task MigrateCoreAsync()
    {
        if (_databaseFile is not null && Path.GetDirectoryName(_databaseFile) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = await OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        await SqliteSchema.MigrateAsync(connection).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var pragmas = connection.CreateCommand();
            await using var pragmasScope = pragmas.ConfigureAwait(false);
            pragmas.CommandText = ConnectionPragmas;
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool IsFile(SqliteConnectionStringBuilder builder) =>
        builder.Mode != SqliteOpenMode.Memory
        && builder.DataSource is { Length: > 0 } source
        && source != ":memory:"
        && !source.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
}
