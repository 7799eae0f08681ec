using Microsoft.Data.Sqlite;

namespace FeatureB2bua.Storage.Sqlite;

/// <summary>
/// The schema as an ordered list of steps; <c>schema_version</c> holds one row per step applied. A later version
/// appends steps and never edits one that has shipped, so every database reaches the same schema.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Step <c>i</c> brings the schema to version <c>i + 1</c>.</summary>
    private static readonly string[] Steps =
    [
        """
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
        """,
        """
        CREATE TABLE cdrs (
            id             INTEGER PRIMARY KEY,
            call_id        TEXT    NOT NULL,
            caller         TEXT    NOT NULL,
            dialled        TEXT    NOT NULL,
            final_target   TEXT,
            setup_at       INTEGER NOT NULL,
            answered_at    INTEGER,
            ended_at       INTEGER NOT NULL,
            result         TEXT    NOT NULL,
            final_status   INTEGER NOT NULL,
            failure_reason TEXT,
            features       TEXT    NOT NULL
        );
        CREATE INDEX cdrs_ended_at ON cdrs (ended_at);
        """,
        """
        CREATE TABLE open_calls (
            call_id     TEXT    NOT NULL PRIMARY KEY,
            caller      TEXT    NOT NULL,
            dialled     TEXT    NOT NULL,
            setup_at    INTEGER NOT NULL,
            answered_at INTEGER,
            seen_at     INTEGER NOT NULL
        );
        """,
        // Several nodes on one store: whose call each journal row is, its legs for a hang-up from elsewhere, and heartbeats.
        // Rows journaled before this step have node '': no node owns them, so they count as a silent node's calls.
        """
        ALTER TABLE open_calls ADD COLUMN node TEXT NOT NULL DEFAULT '';
        ALTER TABLE open_calls ADD COLUMN legs TEXT;
        CREATE INDEX open_calls_node ON open_calls (node);
        CREATE TABLE nodes (
            node    TEXT    NOT NULL PRIMARY KEY,
            seen_at INTEGER NOT NULL
        );
        """,
    ];

    public static int LatestVersion => Steps.Length;

    public static async Task MigrateAsync(SqliteConnection connection)
    {
        // The journal mode is stored in the file, so setting it once suffices; it cannot change inside a transaction.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;").ConfigureAwait(false);

        // BEGIN IMMEDIATE: two processes starting on one file take turns, and the second sees the first one's steps.
        var transaction = connection.BeginTransaction(deferred: false);
        await using (transaction.ConfigureAwait(false))
        {
            await ExecuteAsync(
                connection,
                transaction,
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);")
                .ConfigureAwait(false);

            var current = await CurrentVersionAsync(connection, transaction).ConfigureAwait(false);
            if (current > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The database is at schema version {current}, newer than the {LatestVersion} this build knows; refusing to use it.");
            }

            for (var version = (int)current + 1; version <= LatestVersion; version++)
            {
                await ExecuteAsync(connection, transaction, Steps[version - 1]).ConfigureAwait(false);
                await RecordAsync(connection, transaction, version).ConfigureAwait(false);
            }

            await transaction.CommitAsync().ConfigureAwait(false);
        }
    }

    private static async Task<long> CurrentVersionAsync(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
            return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        }
    }

    private static async Task RecordAsync(SqliteConnection connection, SqliteTransaction transaction, int version)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $appliedAt);";
            command.Parameters.AddWithValue("$version", version);
            command.Parameters.AddWithValue("$appliedAt", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
