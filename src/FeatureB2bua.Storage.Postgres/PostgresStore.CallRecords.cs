using System.Text.Json;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace FeatureB2bua.Storage.Postgres;

/// <summary>
/// <see cref="ICallRecordStore"/>: one row per call in <c>cdrs</c> for every node, features as a JSON array. The
/// identity column breaks ties between records that ended in the same millisecond. The journal of open calls is the
/// <c>open_calls</c> table, written in the same transaction as the CDRs that close its rows.
/// </summary>
public sealed partial class PostgresStore
{
    private const string OpenCallColumns = "call_id, caller, dialled, setup_at, answered_at, seen_at, node, legs";

    public Task AddAsync(IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return RecordAsync([], records, cancellationToken);
    }

    public Task RecordAsync(IReadOnlyCollection<OpenCall> openCalls, IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openCalls);
        ArgumentNullException.ThrowIfNull(records);
        return openCalls.Count + records.Count == 0
            ? Task.CompletedTask
            : InTransactionAsync((connection, transaction) => RecordInTransactionAsync(connection, transaction, openCalls, records, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// One statement: the DELETE ... RETURNING takes each row once, so a second closer of the same node (another node's
    /// sweeper, a restart) blocks on the row locks and then finds the rows gone.
    /// </summary>
    public async Task<IReadOnlyList<OpenCall>> CloseInterruptedAsync(string node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return await QueryAsync(
            $"""
            WITH closed AS (DELETE FROM open_calls WHERE node = @node RETURNING {OpenCallColumns}),
                 last_alive AS (SELECT GREATEST((SELECT MAX(seen_at) FROM closed), (SELECT seen_at FROM nodes WHERE node = @node)) AS at),
                 recorded AS (
                     INSERT INTO cdrs (call_id, caller, dialled, final_target, setup_at, answered_at, ended_at, result, final_status, failure_reason, features)
                     SELECT call_id, caller, dialled, NULL, setup_at, answered_at, GREATEST(seen_at, (SELECT at FROM last_alive)),
                            @result, CASE WHEN answered_at IS NULL THEN 0 ELSE 200 END, NULL, '[]'::jsonb
                     FROM closed ORDER BY setup_at, call_id)
            SELECT {OpenCallColumns} FROM closed ORDER BY setup_at, call_id;
            """,
            p =>
            {
                p.AddWithValue("node", node);
                p.AddWithValue("result", OpenCall.InterruptedResult);
            },
            ReadOpenCall,
            cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<CallRecord>> ListRecentAsync(
        int limit, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return QueryAsync(
            """
            SELECT call_id, caller, dialled, final_target, setup_at, answered_at, ended_at, result, final_status, failure_reason, features::text
            FROM cdrs
            WHERE (@since IS NULL OR ended_at >= @since) AND (@until IS NULL OR ended_at < @until)
            ORDER BY ended_at DESC, id DESC
            LIMIT @limit;
            """,
            p =>
            {
                p.AddWithValue("since", NpgsqlDbType.TimestampTz, Ms(since));
                p.AddWithValue("until", NpgsqlDbType.TimestampTz, Ms(until));
                p.AddWithValue("limit", limit);
            },
            ReadCallRecord,
            cancellationToken);
    }

    /// <summary>Returns how many rows the batch changed.</summary>
    private static async Task<int> RecordInTransactionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<OpenCall> openCalls, IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken)
    {
        // One batch, one round trip and one commit for the lot, which is what makes the writer's batching pay.
        var batch = new NpgsqlBatch(connection, transaction);
        await using var batchScope = batch.ConfigureAwait(false);
        foreach (var call in openCalls)
        {
            var journal = new NpgsqlBatchCommand(
                $"""
                INSERT INTO open_calls ({OpenCallColumns})
                VALUES (@callId, @caller, @dialled, @setupAt, @answeredAt, @seenAt, @node, @legs)
                ON CONFLICT (call_id) DO UPDATE SET
                    caller = excluded.caller, dialled = excluded.dialled, setup_at = excluded.setup_at, answered_at = excluded.answered_at,
                    seen_at = excluded.seen_at, node = excluded.node, legs = excluded.legs;
                """);
            journal.Parameters.AddWithValue("callId", call.CallId);
            journal.Parameters.AddWithValue("caller", call.Caller);
            journal.Parameters.AddWithValue("dialled", call.Dialled);
            journal.Parameters.AddWithValue("setupAt", Ms(call.SetupAt));
            journal.Parameters.AddWithValue("answeredAt", NpgsqlDbType.TimestampTz, Ms(call.AnsweredAt));
            journal.Parameters.AddWithValue("seenAt", Ms(call.SeenAt));
            journal.Parameters.AddWithValue("node", call.Node);
            journal.Parameters.AddWithValue("legs", NpgsqlDbType.Text, (object?)call.Legs ?? DBNull.Value);
            batch.BatchCommands.Add(journal);
        }

        foreach (var record in records)
        {
            var insert = new NpgsqlBatchCommand(
                """
                INSERT INTO cdrs (call_id, caller, dialled, final_target, setup_at, answered_at, ended_at, result, final_status, failure_reason, features)
                VALUES (@callId, @caller, @dialled, @finalTarget, @setupAt, @answeredAt, @endedAt, @result, @finalStatus, @failureReason, @features);
                """);
            insert.Parameters.AddWithValue("callId", record.CallId);
            insert.Parameters.AddWithValue("caller", record.Caller);
            insert.Parameters.AddWithValue("dialled", record.Dialled);
            insert.Parameters.AddWithValue("finalTarget", NpgsqlDbType.Text, (object?)record.FinalTarget ?? DBNull.Value);
            insert.Parameters.AddWithValue("setupAt", Ms(record.SetupAt));
            insert.Parameters.AddWithValue("answeredAt", NpgsqlDbType.TimestampTz, Ms(record.AnsweredAt));
            insert.Parameters.AddWithValue("endedAt", Ms(record.EndedAt));
            insert.Parameters.AddWithValue("result", record.Result);
            insert.Parameters.AddWithValue("finalStatus", record.FinalStatus);
            insert.Parameters.AddWithValue("failureReason", NpgsqlDbType.Text, (object?)record.FailureReason ?? DBNull.Value);
            insert.Parameters.AddWithValue("features", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(record.Features, StorageJson.Options));
            batch.BatchCommands.Add(insert);
            var close = new NpgsqlBatchCommand("DELETE FROM open_calls WHERE call_id = @callId;");
            close.Parameters.AddWithValue("callId", record.CallId);
            batch.BatchCommands.Add(close);
        }

        return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static OpenCall ReadOpenCall(NpgsqlDataReader reader) =>
        new(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetFieldValue<DateTimeOffset>(3),
            GetTimeOrNull(reader, 4),
            reader.GetFieldValue<DateTimeOffset>(5))
        {
            Node = reader.GetString(6),
            Legs = GetStringOrNull(reader, 7),
        };

    private static CallRecord ReadCallRecord(NpgsqlDataReader reader) =>
        new(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            GetStringOrNull(reader, 3),
            reader.GetFieldValue<DateTimeOffset>(4),
            GetTimeOrNull(reader, 5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.GetString(7),
            reader.GetInt32(8),
            GetStringOrNull(reader, 9))
        {
            Features = JsonSerializer.Deserialize<string[]>(reader.GetString(10), StorageJson.Options) ?? [],
        };
}
