namespace FeatureB2bua.Core.Calls;

/// <summary>Where CDRs are kept. Times keep millisecond precision.</summary>
public interface ICallRecordStore
{
    /// <summary>Adds the records in one transaction: all of them or none.</summary>
    Task AddAsync(IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <paramref name="limit"/> records that ended last, newest first (records that ended at the same time: the one
    /// added last first); with <paramref name="since"/> or <paramref name="until"/>, only those that ended in [since, until).
    /// </summary>
    Task<IReadOnlyList<CallRecord>> ListRecentAsync(int limit, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default);
}
