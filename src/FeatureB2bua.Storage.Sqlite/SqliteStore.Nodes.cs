using FeatureB2bua.Core.Calls;

namespace FeatureB2bua.Storage.Sqlite;

/// <summary>
/// The heartbeats of <see cref="ICallRecordStore"/>: one row per node in <c>nodes</c>, its latest sign of life in Unix
/// milliseconds. A journal write is a sign of life too, so a node that journals a call before its first heartbeat is
/// not taken for dead.
/// </summary>
public sealed partial class SqliteStore
{
    public Task BeatAsync(string node, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return ExecuteWriteAsync(
            "INSERT INTO nodes (node, seen_at) VALUES ($node, $seenAt) ON CONFLICT (node) DO UPDATE SET seen_at = excluded.seen_at;",
            parameters =>
            {
                parameters.AddWithValue("$node", node);
                parameters.AddWithValue("$seenAt", now.ToUnixTimeMilliseconds());
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListSilentNodesAsync(string self, DateTimeOffset silentSince, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(self);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandText =
            """
            SELECT o.node FROM open_calls o LEFT JOIN nodes n ON n.node = o.node
            WHERE o.node <> $self
            GROUP BY o.node
            HAVING MAX(COALESCE(MAX(n.seen_at), 0), MAX(o.seen_at)) < $silentSince
            ORDER BY o.node;
            """;
        command.Parameters.AddWithValue("$self", self);
        command.Parameters.AddWithValue("$silentSince", silentSince.ToUnixTimeMilliseconds());
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var nodes = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            nodes.Add(reader.GetString(0));
        }

        return nodes;
    }
}
