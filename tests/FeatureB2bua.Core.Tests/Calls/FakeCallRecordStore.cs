using FeatureB2bua.Core.Calls;

namespace FeatureB2bua.Core.Tests.Calls;

/// <summary>CDRs in memory, with a hook that runs before each batch is added, for a test to hold the writer up or make the store fail.</summary>
internal sealed class FakeCallRecordStore : ICallRecordStore
{
    private readonly Lock _gate = new();
    private readonly List<CallRecord> _records = [];
    private readonly List<int> _batchSizes = [];

    public Func<Task> BeforeAdd { get; set; } = () => Task.CompletedTask;

    public IReadOnlyList<CallRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    public IReadOnlyList<int> BatchSizes
    {
        get
        {
            lock (_gate)
            {
                return [.. _batchSizes];
            }
        }
    }

    public async Task AddAsync(IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken = default)
    {
        await BeforeAdd();
        lock (_gate)
        {
            _records.AddRange(records);
            _batchSizes.Add(records.Count);
        }
    }

    public Task<IReadOnlyList<CallRecord>> ListRecentAsync(int limit, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CallRecord>>(
            [.. Records.Select((record, index) => (record, index))
                .Where(r => (since is null || r.record.EndedAt >= since) && (until is null || r.record.EndedAt < until))
                .OrderByDescending(r => r.record.EndedAt).ThenByDescending(r => r.index)
                .Take(limit)
                .Select(r => r.record)]);
}
