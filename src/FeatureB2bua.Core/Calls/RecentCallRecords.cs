using System.Collections.Concurrent;

namespace FeatureB2bua.Core.Calls;

/// <summary>The last CDRs in memory, newest first, bounded; the store-backed sink comes with persistent CDRs.</summary>
public sealed class RecentCallRecords(int capacity = 1000) : ICallRecordSink
{
    private readonly ConcurrentQueue<CallRecord> _records = new();

    public IReadOnlyList<CallRecord> Snapshot() => [.. _records.Reverse()];

    public void Write(CallRecord record)
    {
        _records.Enqueue(record);
        while (_records.Count > capacity && _records.TryDequeue(out _))
        {
        }
    }
}
