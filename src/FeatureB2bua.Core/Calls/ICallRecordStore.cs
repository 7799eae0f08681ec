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
    /// After a restart, before any call of this process is journaled: every call still in the journal gets a CDR with
    /// result <see cref="OpenCall.InterruptedResult"/>, ended at the last moment the store knew the old process alive
    /// (its latest journal write or CDR, never before the call's own last journal write), and the journal is emptied.
    /// Returns how many calls were closed.
    /// </summary>
    Task<int> CloseInterruptedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The <paramref name="limit"/> records that ended last, newest first (records that ended at the same time: the one
    /// added last first); with <paramref name="since"/> or <paramref name="until"/>, only those that ended in [since, until).
    /// </summary>
    Task<IReadOnlyList<CallRecord>> ListRecentAsync(int limit, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default);
}
