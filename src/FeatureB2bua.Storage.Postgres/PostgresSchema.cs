using Npgsql;

namespace FeatureB2bua.Storage.Postgres;

/// <summary>
/// The schema as an ordered list of steps; <c>schema_version</c> holds one row per step applied. A later version
/// appends steps and never edits one that has shipped, so every database reaches the same schema. The steps run in one
/// transaction under an advisory lock, so nodes starting together migrate once: the others wait, then find nothing to do.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory lock key that serialises migrations across nodes ('b2bS' 'chem').</summary>
    private const long MigrationLock = 0x6232_6253_6368_656D;

    /// <summary>Step <c>i</c> brings the schema to version <c>i + 1</c>.</summary>
    private static readonly string[] Steps =
    [
        // Times are timestamptz written in whole milliseconds, the precision the store interfaces promise.
        """
        CREATE TABLE subscribers (
            user_name    text  NOT NULL PRIMARY KEY,
            ha1_md5      text  NOT NULL,
            ha1_sha256   text  NOT NULL,
            may_register jsonb NOT NULL,
            features     jsonb NOT NULL
        );
        CREATE TABLE bindings (
            aor        text        NOT NULL,
            contact    text        NOT NULL,
            q          integer     NOT NULL,
            expires_at timestamptz NOT NULL,
            call_id    text        NOT NULL,
            cseq       bigint      NOT NULL,
            source     text        NOT NULL,
            user_agent text,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (aor, contact)
        );
        CREATE INDEX bindings_expires_at ON bindings (expires_at);
        CREATE TABLE cdrs (
            id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            call_id        text        NOT NULL,
            caller         text        NOT NULL,
            dialled        text        NOT NULL,
            final_target   text,
            setup_at       timestamptz NOT NULL,
            answered_at    timestamptz,
            ended_at       timestamptz NOT NULL,
            result         text        NOT NULL,
            final_status   integer     NOT NULL,
            failure_reason text,
            features       jsonb       NOT NULL
        );
        CREATE INDEX cdrs_ended_at ON cdrs (ended_at);
        CREATE TABLE open_calls (
            call_id     text        NOT NULL PRIMARY KEY,
            caller      text        NOT NULL,
            dialled     text        NOT NULL,
            setup_at    timestamptz NOT NULL,
            answered_at timestamptz,
            seen_at     timestamptz NOT NULL,
            node        text        NOT NULL DEFAULT '',
            legs        text
        );
        CREATE INDEX open_calls_node ON open_calls (node);
        CREATE TABLE nodes (
            node    text        NOT NULL PRIMARY KEY,
            seen_at timestamptz NOT NULL
        );
        """,
    ];

    public static int LatestVersion => Steps.Length;

    public static async Task MigrateAsync(NpgsqlDataSource dataSource)
    {
        var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);

        // Held to the commit: a second node blocks here and then sees the first one's steps as applied.
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock});").ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            transaction,
            "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());")
            .ConfigureAwait(false);

        var current = await CurrentVersionAsync(connection, transaction).ConfigureAwait(false);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database is at schema version {current}, newer than the {LatestVersion} this build knows; refusing to use it.");
        }

        for (var version = current + 1; version <= LatestVersion; version++)
        {
            await ExecuteAsync(connection, transaction, Steps[version - 1]).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"INSERT INTO schema_version (version) VALUES ({version});").ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version;", connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            return (int)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
