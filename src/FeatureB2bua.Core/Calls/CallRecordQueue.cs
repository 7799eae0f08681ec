using System.Threading.Channels;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The <see cref="ICallRecordSink"/> calls write to: a bounded queue that <see cref="CallRecordWriter"/> drains into the
/// store. A call writes its CDR under its own lock on the network path, so <see cref="Write"/> never waits and never
/// throws: when the queue is full (the store has fallen behind) or closed (shutting down) the record is dropped and counted.
/// </summary>
public sealed class CallRecordQueue : ICallRecordSink
{
    private readonly Channel<CallRecord> _channel;
    private readonly CallRecordMetrics _metrics;
    private volatile bool _closed;

    public CallRecordQueue(int capacity, CallRecordMetrics metrics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(metrics);

        // FullMode Wait makes TryWrite report a full queue instead of dropping silently, so the loss is counted.
        _channel = Channel.CreateBounded<CallRecord>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _metrics = metrics;
    }

    public ChannelReader<CallRecord> Reader => _channel.Reader;

    public void Write(CallRecord record)
    {
        if (!_channel.Writer.TryWrite(record))
        {
            _metrics.Dropped(1, _closed ? "closed" : "queue_full");
        }
    }

    /// <summary>Takes no more records; the reader sees the end once it has read those already queued.</summary>
    public void Close()
    {
        _closed = true;
        _channel.Writer.TryComplete();
    }
}
