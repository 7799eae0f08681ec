using System.Threading.Channels;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The <see cref="ICallRecordSink"/> calls write to: a bounded queue that <see cref="CallRecordWriter"/> drains into the
/// store. A call writes under its own lock on the network path, so a write never waits and never throws: it returns
/// a task the call may continue on once the store has committed. When the queue is full (the store has fallen behind)
/// or closed (shutting down) the entry is dropped, counted, and its task completes at once, so no call waits on a
/// store that is not there.
/// </summary>
public sealed class CallRecordQueue : ICallRecordSink
{
    private readonly Channel<CallRecordEntry> _channel;
    private readonly CallRecordMetrics _metrics;
    private volatile bool _closed;

    public CallRecordQueue(int capacity, CallRecordMetrics metrics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(metrics);

        // FullMode Wait makes TryWrite report a full queue instead of dropping silently, so the loss is counted.
        _channel = Channel.CreateBounded<CallRecordEntry>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _metrics = metrics;
    }

    public ChannelReader<CallRecordEntry> Reader => _channel.Reader;

    public Task Journal(OpenCall call) => Enqueue(new CallRecordEntry(call));

    public Task Write(CallRecord record) => Enqueue(new CallRecordEntry(record));

    /// <summary>Takes no more entries; the reader sees the end once it has read those already queued.</summary>
    public void Close()
    {
        _closed = true;
        _channel.Writer.TryComplete();
    }

    private Task Enqueue(CallRecordEntry entry)
    {
        if (!_channel.Writer.TryWrite(entry))
        {
            // A lost journal entry costs a crashed call its interrupted CDR only; a lost CDR is what the metric is for.
            if (entry.Record is not null)
            {
                _metrics.Dropped(1, _closed ? "closed" : "queue_full");
            }

            entry.Complete();
        }

        return entry.Done;
    }
}
