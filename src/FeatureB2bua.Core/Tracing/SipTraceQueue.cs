using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Tracing;

/// <summary>
/// The hot path's whole part in the console's trace: each message's bytes are copied into a pooled buffer and
/// queued with the time, and each call event queued beside them in the same order, so the filer learns a B-leg's
/// Call-ID before that leg's INVITE. The queue is bounded and drops its oldest entry when full (counted): the trace
/// may lose messages under overload, the calls never wait for it. A call event pushed out is kept aside instead and
/// filed before the next entry, so a trace always learns its call's legs and end.
/// </summary>
public sealed class SipTraceQueue : ISipTap, ICallObserver
{
    private readonly Channel<TraceEntry> _channel;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<TraceEntry> _rescued = new();

    public SipTraceQueue(int capacity, TimeProvider time, TraceMetrics metrics)
    {
        _time = time;
        _channel = Channel.CreateBounded<TraceEntry>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                if (dropped.IsMessage)
                {
                    Release(dropped);
                    metrics.Dropped();
                }
                else
                {
                    _rescued.Enqueue(dropped);
                }
            });
    }

    public ChannelReader<TraceEntry> Reader => _channel.Reader;

    /// <summary>A call event the bound pushed out of the queue, older than anything still in it.</summary>
    public bool TryTakeRescued(out TraceEntry entry) => _rescued.TryDequeue(out entry);

    /// <summary>Gives a filed entry's buffer back to the pool.</summary>
    public static void Release(in TraceEntry entry)
    {
        if (entry.Buffer is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Received(ReadOnlySpan<byte> message, TransportProtocol protocol, IPEndPoint local, IPEndPoint remote) =>
        Copy(TraceEntryKind.Received, message, protocol, local, remote);

    public void Sent(ReadOnlySpan<byte> message, TransportProtocol protocol, IPEndPoint local, IPEndPoint remote) =>
        Copy(TraceEntryKind.Sent, message, protocol, local, remote);

    public void Started(string aCallId, string caller, string dialled) =>
        Write(new TraceEntry(TraceEntryKind.CallStarted, _time.GetUtcNow(), CallId: aCallId, First: caller, Second: dialled));

    public void BranchStarted(string aCallId, string bCallId, string target, bool forwarded) =>
        Write(new TraceEntry(TraceEntryKind.BranchStarted, _time.GetUtcNow(), CallId: aCallId, First: bCallId, Second: target, Forwarded: forwarded));

    public void Ended(string aCallId, string result) =>
        Write(new TraceEntry(TraceEntryKind.CallEnded, _time.GetUtcNow(), CallId: aCallId, First: result));

    /// <summary>No more entries: the filer finishes what is queued and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    private void Copy(TraceEntryKind kind, ReadOnlySpan<byte> message, TransportProtocol protocol, IPEndPoint local, IPEndPoint remote)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(message.Length);
        message.CopyTo(buffer);
        Write(new TraceEntry(kind, _time.GetUtcNow(), buffer, message.Length, protocol, local, remote));
    }

    private void Write(in TraceEntry entry)
    {
        if (!_channel.Writer.TryWrite(entry))
        {
            // Completed: the host is stopping and nobody files any more.
            Release(entry);
        }
    }
}
