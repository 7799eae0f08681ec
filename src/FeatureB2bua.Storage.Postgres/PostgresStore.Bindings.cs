using FeatureB2bua.Core.Registration;
using Npgsql;

namespace FeatureB2bua.Storage.Postgres;

/// <summary>
/// <see cref="ILocationStore"/>: one row per AOR and contact. Expiry is judged by the caller's <c>now</c>, never the
/// database's clock. Writes of one AOR take turns under a per-AOR advisory lock (as SQLite's single writer makes them),
/// and expired bindings are reaped by one node at a time, so the reaped count is not doubled across nodes.
/// </summary>
public sealed partial class PostgresStore
{
    /// <summary>First key of the per-AOR advisory locks ('b2bA'); the second is the AOR's hash.</summary>
    private const int AorLockClass = 0x6232_6241;

    /// <summary>The advisory lock key of the reaper ('b2bR' 'eapr').</summary>
    internal const long ReaperLock = 0x6232_6252_6561_7072;

    private const string SelectBindings =
        "SELECT aor, contact, q, expires_at, call_id, cseq, source, user_agent, updated_at FROM bindings";

    public Task<IReadOnlyList<Binding>> GetBindingsAsync(string aor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aor);
        return QueryAsync(
            SelectBindings + " WHERE aor = @aor AND expires_at > @now ORDER BY q DESC, contact COLLATE \"C\";",
            p =>
            {
                p.AddWithValue("aor", aor);
                p.AddWithValue("now", Ms(now));
            },
            ReadBinding,
            cancellationToken);
    }

    public Task<IReadOnlyList<Binding>> ListAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        QueryAsync(
            SelectBindings + " WHERE expires_at > @now ORDER BY aor COLLATE \"C\", q DESC, contact COLLATE \"C\";",
            p => p.AddWithValue("now", Ms(now)),
            ReadBinding,
            cancellationToken);

    public Task ApplyAsync(string aor, IReadOnlyCollection<string> removeContacts, IReadOnlyCollection<Binding> upserts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aor);
        ArgumentNullException.ThrowIfNull(removeContacts);
        ArgumentNullException.ThrowIfNull(upserts);
        if (upserts.FirstOrDefault(b => b.Aor != aor) is { } stray)
        {
            throw new ArgumentException($"A write for {aor} cannot carry a binding of {stray.Aor}.", nameof(upserts));
        }

        return InTransactionAsync((connection, transaction) => ApplyInTransactionAsync(connection, transaction, aor, removeContacts, upserts, cancellationToken), cancellationToken);
    }

    public Task<int> RemoveAllAsync(string aor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aor);
        return ExecuteAsync("DELETE FROM bindings WHERE aor = @aor;", p => p.AddWithValue("aor", aor), cancellationToken);
    }

    /// <summary>
    /// Every node's reaper runs this on its own timer; pg_try_advisory_xact_lock lets one of them delete while another
    /// that comes at the same moment returns 0 at once instead of waiting to find the rows gone.
    /// </summary>
    public Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_xact_lock({ReaperLock});", connection, transaction);
                await using var tryLockScope = tryLock.ConfigureAwait(false);
                if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    return 0;
                }

                var delete = new NpgsqlCommand("DELETE FROM bindings WHERE expires_at <= @now;", connection, transaction);
                await using var deleteScope = delete.ConfigureAwait(false);
                delete.Parameters.AddWithValue("now", Ms(now));
                return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    public async Task<int> CountAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var counts = await QueryAsync("SELECT COUNT(*) FROM bindings WHERE expires_at > @now;", p => p.AddWithValue("now", Ms(now)), r => r.GetInt64(0), cancellationToken)
            .ConfigureAwait(false);
        return (int)counts[0];
    }

    /// <summary>Returns how many rows the removals and upserts changed.</summary>
    private static async Task<int> ApplyInTransactionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string aor, IReadOnlyCollection<string> removeContacts, IReadOnlyCollection<Binding> upserts,
        CancellationToken cancellationToken)
    {
        // Two REGISTERs of one AOR, from any nodes, run one after the other (no deadlock between their row locks).
        var batch = new NpgsqlBatch(connection, transaction);
        await using var batchScope = batch.ConfigureAwait(false);
        var lockAor = new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({AorLockClass}, hashtext(@aor));");
        lockAor.Parameters.AddWithValue("aor", aor);
        batch.BatchCommands.Add(lockAor);
        foreach (var contact in removeContacts)
        {
            var remove = new NpgsqlBatchCommand("DELETE FROM bindings WHERE aor = @aor AND contact = @contact;");
            remove.Parameters.AddWithValue("aor", aor);
            remove.Parameters.AddWithValue("contact", contact);
            batch.BatchCommands.Add(remove);
        }

        foreach (var binding in upserts)
        {
            var upsert = new NpgsqlBatchCommand(
                """
                INSERT INTO bindings (aor, contact, q, expires_at, call_id, cseq, source, user_agent, updated_at)
                VALUES (@aor, @contact, @q, @expiresAt, @callId, @cseq, @source, @userAgent, @updatedAt)
                ON CONFLICT (aor, contact) DO UPDATE SET
                    q = excluded.q,
                    expires_at = excluded.expires_at,
                    call_id = excluded.call_id,
                    cseq = excluded.cseq,
                    source = excluded.source,
                    user_agent = excluded.user_agent,
                    updated_at = excluded.updated_at;
                """);
            upsert.Parameters.AddWithValue("aor", aor);
            upsert.Parameters.AddWithValue("contact", binding.Contact);
            upsert.Parameters.AddWithValue("q", binding.Q);
            upsert.Parameters.AddWithValue("expiresAt", Ms(binding.ExpiresAt));
            upsert.Parameters.AddWithValue("callId", binding.CallId);
            upsert.Parameters.AddWithValue("cseq", (long)binding.CSeq);
            upsert.Parameters.AddWithValue("source", binding.Source);
            upsert.Parameters.AddWithValue("userAgent", (object?)binding.UserAgent ?? DBNull.Value);
            upsert.Parameters.AddWithValue("updatedAt", Ms(binding.UpdatedAt));
            batch.BatchCommands.Add(upsert);
        }

        return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Binding ReadBinding(NpgsqlDataReader reader) =>
        new(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetInt32(2),
            reader.GetFieldValue<DateTimeOffset>(3),
            reader.GetString(4),
            (uint)reader.GetInt64(5),
            reader.GetString(6),
            reader.GetFieldValue<DateTimeOffset>(8))
        {
            UserAgent = GetStringOrNull(reader, 7),
        };
}
