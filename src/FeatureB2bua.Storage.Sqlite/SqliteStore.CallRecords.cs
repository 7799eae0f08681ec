using System.Text.Json;
using FeatureB2bua.Core.Calls;
using Microsoft.Data.Sqlite;

namespace FeatureB2bua.Storage.Sqlite;

/// <summary>
/// <see cref="ICallRecordStore"/>: one row per call, times as Unix milliseconds like the bindings, features as a JSON
/// array. The row id breaks ties between records that ended in the same millisecond.
/// </summary>
public sealed partial class SqliteStore
{
    public Task AddAsync(IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records.Count == 0 ? Task.CompletedTask : WriteAsync(connection => AddInTransactionAsync(connection, records, cancellationToken), cancellationToken);
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

    private static async Task AddInTransactionAsync(SqliteConnection connection, IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken)
    {
        // One transaction per batch: a single commit (one WAL append) for the lot, which is what makes batching pay.
        var transaction = connection.BeginTransaction(deferred: false);
        await using var transactionScope = transaction.ConfigureAwait(false);
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
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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
}
