using FeatureB2bua.Core.Calls;

namespace FeatureB2bua.Storage.Postgres;

/// <summary>
/// The heartbeats of <see cref="ICallRecordStore"/>: one row per node in <c>nodes</c>, its latest sign of life. A journal
/// write is a sign of life too, so a node that journals a call before its first heartbeat is not taken for dead.
/// </summary>
public sealed partial class PostgresStore
{
    public Task BeatAsync(string node, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return ExecuteAsync(
            "INSERT INTO nodes (node, seen_at) VALUES (@node, @seenAt) ON CONFLICT (node) DO UPDATE SET seen_at = excluded.seen_at;",
            p =>
            {
                p.AddWithValue("node", node);
                p.AddWithValue("seenAt", Ms(now));
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListSilentNodesAsync(string self, DateTimeOffset silentSince, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(self);
        return QueryAsync(
            """
            SELECT o.node FROM open_calls o LEFT JOIN nodes n ON n.node = o.node
            WHERE o.node <> @self
            GROUP BY o.node
            HAVING GREATEST(MAX(n.seen_at), MAX(o.seen_at)) < @silentSince
            ORDER BY o.node COLLATE "C";
            """,
            p =>
            {
                p.AddWithValue("self", self);
                p.AddWithValue("silentSince", Ms(silentSince));
            },
            r => r.GetString(0),
            cancellationToken);
    }
}
