using System.Text.Json;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Storage;
using Microsoft.Data.Sqlite;

namespace FeatureB2bua.Storage.Sqlite;

/// <summary>
/// <see cref="ICallRecordStore"/>: one row per call, times as Unix milliseconds like the bindings, features as a JSON
/// array. The row id breaks ties between records that ended in the same millisecond. The journal of open calls is the
/// <c>open_calls</c> table, written in the same transaction as the CDRs that close its rows.
/// </summary>
public sealed partial class SqliteStore
{
    private const string SelectOpenCalls = "SELECT call_id, caller, dialled, setup_at, answered_at, seen_at, node, legs FROM open_calls";

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
            : WriteAsync(connection => RecordInTransactionAsync(connection, openCalls, records, cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlyList<OpenCall>> CloseInterruptedAsync(string node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        IReadOnlyList<OpenCall> closed = [];
        await WriteAsync(
            async connection =>
            {
                // One writer at a time (the write gate, then BEGIN IMMEDIATE across processes): a second closer finds nothing.
                var transaction = connection.BeginTransaction(deferred: false);
                await using var transactionScope = transaction.ConfigureAwait(false);
                var select = connection.CreateCommand();
                await using var selectScope = select.ConfigureAwait(false);
                select.Transaction = transaction;
                select.CommandText = SelectOpenCalls + " WHERE node = $node ORDER BY setup_at, call_id;";
                select.Parameters.AddWithValue("$node", node);
                closed = await ReadOpenCallsAsync(select, cancellationToken).ConfigureAwait(false);
                if (closed.Count == 0)
                {
                    return;
                }

                var close = connection.CreateCommand();
                await using var closeScope = close.ConfigureAwait(false);
                close.Transaction = transaction;

                // Ended at the node's last sign of life: its heartbeat or its latest journal write.
                close.CommandText =
                    """
                    INSERT INTO cdrs (call_id, caller, dialled, final_target, setup_at, answered_at, ended_at, result, final_status, failure_reason, features)
                    SELECT call_id, caller, dialled, NULL, setup_at, answered_at,
                           MAX(seen_at, (SELECT MAX(seen_at) FROM open_calls WHERE node = $node), COALESCE((SELECT seen_at FROM nodes WHERE node = $node), 0)),
                           $result, CASE WHEN answered_at IS NULL THEN 0 ELSE 200 END, NULL, '[]'
                    FROM open_calls WHERE node = $node ORDER BY setup_at, call_id;
                    DELETE FROM open_calls WHERE node = $node;
                    """;
                close.Parameters.AddWithValue("$node", node);
                close.Parameters.AddWithValue("$result", OpenCall.InterruptedResult);
                await close.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return closed;
    }

    public async Task<IReadOnlyList<CallRecord>> ListRecentAsync(
        int limit, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandText =
            """
            SELECT call_id, caller, dialled, final_target, setup_at, answered_at, ended_at, result, final_status, failure_reason, features
            FROM cdrs
            WHERE ($since IS NULL OR ended_at >= $since) AND ($until IS NULL OR ended_at < $until)
            ORDER BY ended_at DESC, id DESC
            LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$since", (object?)since?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$until", (object?)until?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var records = new List<CallRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(ReadCallRecord(reader));
        }

        return records;
    }

    private static async Task RecordInTransactionAsync(
        SqliteConnection connection, IReadOnlyCollection<OpenCall> openCalls, IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken)
    {
        // One transaction per batch: a single commit (one WAL append) for the lot, which is what makes batching pay.
        var transaction = connection.BeginTransaction(deferred: false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        if (openCalls.Count > 0)
        {
            await JournalAsync(connection, transaction, openCalls, cancellationToken).ConfigureAwait(false);
        }

        if (records.Count > 0)
        {
            await InsertRecordsAsync(connection, transaction, records, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task JournalAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyCollection<OpenCall> openCalls, CancellationToken cancellationToken)
    {
        var upsert = connection.CreateCommand();
        await using var upsertScope = upsert.ConfigureAwait(false);
        upsert.Transaction = transaction;
        upsert.CommandText =
            """
            INSERT OR REPLACE INTO open_calls (call_id, caller, dialled, setup_at, answered_at, seen_at, node, legs)
            VALUES ($callId, $caller, $dialled, $setupAt, $answeredAt, $seenAt, $node, $legs);
            """;
        var callId = upsert.Parameters.Add("$callId", SqliteType.Text);
        var caller = upsert.Parameters.Add("$caller", SqliteType.Text);
        var dialled = upsert.Parameters.Add("$dialled", SqliteType.Text);
        var setupAt = upsert.Parameters.Add("$setupAt", SqliteType.Integer);
        var answeredAt = upsert.Parameters.Add("$answeredAt", SqliteType.Integer);
        var seenAt = upsert.Parameters.Add("$seenAt", SqliteType.Integer);
        var node = upsert.Parameters.Add("$node", SqliteType.Text);
        var legs = upsert.Parameters.Add("$legs", SqliteType.Text);
        foreach (var call in openCalls)
        {
            callId.Value = call.CallId;
            caller.Value = call.Caller;
            dialled.Value = call.Dialled;
            setupAt.Value = call.SetupAt.ToUnixTimeMilliseconds();
            answeredAt.Value = (object?)call.AnsweredAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            seenAt.Value = call.SeenAt.ToUnixTimeMilliseconds();
            node.Value = call.Node;
            legs.Value = (object?)call.Legs ?? DBNull.Value;
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task InsertRecordsAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken)
    {
        var close = connection.CreateCommand();
        await using var closeScope = close.ConfigureAwait(false);
        close.Transaction = transaction;
        close.CommandText = "DELETE FROM open_calls WHERE call_id = $callId;";
        var closedCallId = close.Parameters.Add("$callId", SqliteType.Text);
        var insert = connection.CreateCommand();
        await using var insertScope = insert.ConfigureAwait(false);
        insert.Transaction = transaction;
        insert.CommandText =
            """
            INSERT INTO cdrs (call_id, caller, dialled, final_target, setup_at, answered_at, ended_at, result, final_status, failure_reason, features)
            VALUES ($callId, $caller, $dialled, $finalTarget, $setupAt, $answeredAt, $endedAt, $result, $finalStatus, $failureReason, $features);
            """;
        var callId = insert.Parameters.Add("$callId", SqliteType.Text);
        var caller = insert.Parameters.Add("$caller", SqliteType.Text);
        var dialled = insert.Parameters.Add("$dialled", SqliteType.Text);
        var finalTarget = insert.Parameters.Add("$finalTarget", SqliteType.Text);
        var setupAt = insert.Parameters.Add("$setupAt", SqliteType.Integer);
        var answeredAt = insert.Parameters.Add("$answeredAt", SqliteType.Integer);
        var endedAt = insert.Parameters.Add("$endedAt", SqliteType.Integer);
        var result = insert.Parameters.Add("$result", SqliteType.Text);
        var finalStatus = insert.Parameters.Add("$finalStatus", SqliteType.Integer);
        var failureReason = insert.Parameters.Add("$failureReason", SqliteType.Text);
        var features = insert.Parameters.Add("$features", SqliteType.Text);
        foreach (var record in records)
        {
            callId.Value = record.CallId;
            caller.Value = record.Caller;
            dialled.Value = record.Dialled;
            finalTarget.Value = (object?)record.FinalTarget ?? DBNull.Value;
            setupAt.Value = record.SetupAt.ToUnixTimeMilliseconds();
            answeredAt.Value = (object?)record.AnsweredAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            endedAt.Value = record.EndedAt.ToUnixTimeMilliseconds();
            result.Value = record.Result;
            finalStatus.Value = record.FinalStatus;
            failureReason.Value = (object?)record.FailureReason ?? DBNull.Value;
            features.Value = JsonSerializer.Serialize(record.Features, StorageJson.Options);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            closedCallId.Value = record.CallId;
            await close.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static CallRecord ReadCallRecord(SqliteDataReader reader) =>
        new(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
            reader.GetString(7),
            reader.GetInt32(8),
            reader.IsDBNull(9) ? null : reader.GetString(9))
        {
            Features = JsonSerializer.Deserialize<string[]>(reader.GetString(10), StorageJson.Options) ?? [],
        };

    private static async Task<IReadOnlyList<OpenCall>> ReadOpenCallsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var calls = new List<OpenCall>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            calls.Add(new OpenCall(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)))
            {
                Node = reader.GetString(6),
                Legs = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }

        return calls;
    }
}
