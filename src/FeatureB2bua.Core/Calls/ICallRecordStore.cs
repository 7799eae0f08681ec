namespace FeatureB2bua.Core.Calls;

/// <summary>Where CDRs and the journal of open calls are kept. Times keep millisecond precision.</summary>
public interface ICallRecordStore
{
    /// <summary>Adds the records in one transaction: all of them or none.</summary>
    Task AddAsync(IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: writes <paramref name="openCalls"/> to the journal (a call already there is replaced), adds
    /// <paramref name="records"/>, and removes from the journal every call that now has its record. Committed when the
    /// task completes, so that a kill of the process afterwards loses none of it.
    /// </summary>
    Task RecordAsync(IReadOnlyCollection<OpenCall> openCalls, IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: every call that node <paramref name="node"/> journaled gets a CDR with result
    /// OpenCall.InterruptedResult (ended at the node's last sign of life: its latest heartbeat or journal write, never
    /// before the call's own last journal write), and leaves the journal. Returns the calls closed, with their Legs, so
    /// the caller can hang up both legs. Run by two processes at once for the same node, each call is closed and returned
    /// exactly once (PostgreSQL: DELETE ... RETURNING in the transaction; SQLite: one writer).
    /// </summary>
    Task<IReadOnlyList<OpenCall>> CloseInterruptedAsync(string node, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="node"/> was alive at <paramref name="now"/> (table `nodes(node primary key, seen_at)`).</summary>
    Task BeatAsync(string node, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Nodes other than <paramref name="self"/> whose latest heartbeat is before <paramref name="silentSince"/> and that still have calls in the journal.</summary>
    Task<IReadOnlyList<string>> ListSilentNodesAsync(string self, DateTimeOffset silentSince, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <paramref name="limit"/> records that ended last, newest first (records that ended at the same time: the one
    /// added last first); with <paramref name="since"/> or <paramref name="until"/>, only those that ended in [since, until).
    /// </summary>
    Task<IReadOnlyList<CallRecord>> ListRecentAsync(int limit, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default);
}
