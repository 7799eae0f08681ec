using FeatureB2bua.Core.Registration;
using Microsoft.Data.Sqlite;

namespace FeatureB2bua.Storage.Sqlite;

/// <summary>
/// <see cref="ILocationStore"/>: one row per AOR and contact, times as Unix milliseconds (a time keeps millisecond
/// precision). Expiry is judged by the caller's <c>now</c>, never the database's clock.
/// </summary>
public sealed partial class SqliteStore
{
    private const string SelectBindings =
        "SELECT aor, contact, q, expires_at, call_id, cseq, source, user_agent, updated_at FROM bindings";

    public async Task<IReadOnlyList<Binding>> GetBindingsAsync(string aor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aor);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandText = SelectBindings + " WHERE aor = $aor AND expires_at > $now ORDER BY q DESC, contact;";
        command.Parameters.AddWithValue("$aor", aor);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await ReadBindingsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Binding>> ListAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandText = SelectBindings + " WHERE expires_at > $now ORDER BY aor, q DESC, contact;";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await ReadBindingsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public Task ApplyAsync(string aor, IReadOnlyCollection<string> removeContacts, IReadOnlyCollection<Binding> upserts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aor);
        ArgumentNullException.ThrowIfNull(removeContacts);
        ArgumentNullException.ThrowIfNull(upserts);
        if (upserts.FirstOrDefault(b => b.Aor != aor) is { } stray)
        {
            throw new ArgumentException($"A write for {aor} cannot carry a binding of {stray.Aor}.", nameof(upserts));
        }

        return WriteAsync(connection => ApplyInTransactionAsync(connection, aor, removeContacts, upserts, cancellationToken), cancellationToken);
    }

    public Task<int> RemoveAllAsync(string aor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aor);
        return ExecuteWriteAsync("DELETE FROM bindings WHERE aor = $aor;", parameters => parameters.AddWithValue("$aor", aor), cancellationToken);
    }

    public Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ExecuteWriteAsync(
            "DELETE FROM bindings WHERE expires_at <= $now;",
            parameters => parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds()),
            cancellationToken);

    public async Task<int> CountAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandText = "SELECT COUNT(*) FROM bindings WHERE expires_at > $now;";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ApplyInTransactionAsync(
        SqliteConnection connection, string aor, IReadOnlyCollection<string> removeContacts, IReadOnlyCollection<Binding> upserts, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE takes the write lock up front, so two REGISTERs of one AOR (even from two processes) run one
        // after the other. Disposing without a commit rolls back: a failure or cancellation leaves nothing half applied.
        var transaction = connection.BeginTransaction(deferred: false);
        await using var transactionScope = transaction.ConfigureAwait(false);

        var remove = connection.CreateCommand();
        await using var removeScope = remove.ConfigureAwait(false);
        remove.Transaction = transaction;
        remove.CommandText = "DELETE FROM bindings WHERE aor = $aor AND contact = $contact;";
        remove.Parameters.AddWithValue("$aor", aor);
        var removeContact = remove.Parameters.Add("$contact", SqliteType.Text);
        foreach (var contact in removeContacts)
        {
            removeContact.Value = contact;
            await remove.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var upsert = connection.CreateCommand();
        await using var upsertScope = upsert.ConfigureAwait(false);
        upsert.Transaction = transaction;
        upsert.CommandText =
            """
            INSERT INTO bindings (aor, contact, q, expires_at, call_id, cseq, source, user_agent, updated_at)
            VALUES ($aor, $contact, $q, $expiresAt, $callId, $cseq, $source, $userAgent, $updatedAt)
            ON CONFLICT (aor, contact) DO UPDATE SET
                q = excluded.q,
                expires_at = excluded.expires_at,
                call_id = excluded.call_id,
                cseq = excluded.cseq,
                source = excluded.source,
                user_agent = excluded.user_agent,
                updated_at = excluded.updated_at;
            """;
        upsert.Parameters.AddWithValue("$aor", aor);
        var contactValue = upsert.Parameters.Add("$contact", SqliteType.Text);
        var q = upsert.Parameters.Add("$q", SqliteType.Integer);
        var expiresAt = upsert.Parameters.Add("$expiresAt", SqliteType.Integer);
        var callId = upsert.Parameters.Add("$callId", SqliteType.Text);
        var cseq = upsert.Parameters.Add("$cseq", SqliteType.Integer);
        var source = upsert.Parameters.Add("$source", SqliteType.Text);
        var userAgent = upsert.Parameters.Add("$userAgent", SqliteType.Text);
        var updatedAt = upsert.Parameters.Add("$updatedAt", SqliteType.Integer);
        foreach (var binding in upserts)
        {
            contactValue.Value = binding.Contact;
            q.Value = binding.Q;
            expiresAt.Value = binding.ExpiresAt.ToUnixTimeMilliseconds();
            callId.Value = binding.CallId;
            cseq.Value = (long)binding.CSeq;
            source.Value = binding.Source;
            userAgent.Value = (object?)binding.UserAgent ?? DBNull.Value;
            updatedAt.Value = binding.UpdatedAt.ToUnixTimeMilliseconds();
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<Binding>> ReadBindingsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var bindings = new List<Binding>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            bindings.Add(new Binding(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.GetString(4),
                (uint)reader.GetInt64(5),
                reader.GetString(6),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)))
            {
                UserAgent = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }

        return bindings;
    }
}
