using FeatureB2bua.Core.Calls;

namespace FeatureB2bua.Core.Tests.Calls;

/// <summary>CDRs and the journal of open calls in memory, with a hook that runs before each batch is added, for a test to hold the writer up or make the store fail.</summary>
internal sealed class FakeCallRecordStore : ICallRecordStore
{
    private readonly Lock _gate = new();
    private readonly List<CallRecord> _records = [];
    private readonly List<int> _batchSizes = [];
    private readonly Dictionary<string, OpenCall> _open = [];
    private readonly Dictionary<string, DateTimeOffset> _beats = [];

    public Func<Task> BeforeAdd { get; set; } = () => Task.CompletedTask;

    public Func<Task> BeforeClose { get; set; } = () => Task.CompletedTask;

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

    public IReadOnlyList<string> OpenCallIds => [.. OpenCalls.Select(c => c.CallId)];

    public IReadOnlyList<OpenCall> OpenCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _open.Values];
            }
        }
    }

    public Task AddAsync(IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken = default) => RecordAsync([], records, cancellationToken);

    public async Task RecordAsync(IReadOnlyCollection<OpenCall> openCalls, IReadOnlyCollection<CallRecord> records, CancellationToken cancellationToken = default)
    {
        await BeforeAdd();
        lock (_gate)
        {
            foreach (var call in openCalls)
            {
                _open[call.CallId] = call;
            }

            foreach (var record in records)
            {
                _records.Add(record);
                _open.Remove(record.CallId);
            }

            if (records.Count > 0)
            {
                _batchSizes.Add(records.Count);
            }
        }
    }

    public async Task<IReadOnlyList<OpenCall>> CloseInterruptedAsync(string node, CancellationToken cancellationToken = default)
    {
        await BeforeClose();
        lock (_gate)
        {
            var closed = _open.Values.Where(c => c.Node == node).ToList();
            _records.AddRange(closed.Select(c => new CallRecord(
                c.CallId, c.Caller, c.Dialled, null, c.SetupAt, c.AnsweredAt, c.SeenAt, OpenCall.InterruptedResult, c.AnsweredAt is null ? 0 : 200, null)));
            closed.ForEach(c => _open.Remove(c.CallId));
            return closed;
        }
    }

    public Task BeatAsync(string node, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _beats[node] = now;
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<string>> ListSilentNodesAsync(string self, DateTimeOffset silentSince, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>(
                [.. _open.Values.GroupBy(c => c.Node)
                    .Where(g => g.Key != self && g.Max(c => c.SeenAt) < silentSince && (!_beats.TryGetValue(g.Key, out var beat) || beat < silentSince))
                    .Select(g => g.Key)
                    .Order(StringComparer.Ordinal)]);
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
