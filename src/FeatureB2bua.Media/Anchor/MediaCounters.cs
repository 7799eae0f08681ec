namespace FeatureB2bua.Media.Anchor;

/// <summary>
/// Anchor-wide counts of what the relay refused and of latch events. Plain interlocked fields rather than metric
/// instruments on the packet path; <see cref="MediaMetrics"/> reads them when scraped.
/// </summary>
internal sealed class MediaCounters
{
    private long _malformed;
    private long _foreignSource;
    private long _noDestination;
    private long _sendFailed;
    private long _latches;

    public long MalformedCount => Interlocked.Read(ref _malformed);

    public long ForeignSourceCount => Interlocked.Read(ref _foreignSource);

    public long NoDestinationCount => Interlocked.Read(ref _noDestination);

    public long SendFailedCount => Interlocked.Read(ref _sendFailed);

    public long LatchCount => Interlocked.Read(ref _latches);

    /// <summary>Not RTP (or RTCP) on an RTP (or RTCP) port, or a datagram too big to relay whole.</summary>
    public void Malformed() => Interlocked.Increment(ref _malformed);

    /// <summary>From a source other than the latched one, and the policy did not allow a move.</summary>
    public void ForeignSource() => Interlocked.Increment(ref _foreignSource);

    /// <summary>The other party's address is not known yet (no SDP from it, no packet).</summary>
    public void NoDestination() => Interlocked.Increment(ref _noDestination);

    public void SendFailed() => Interlocked.Increment(ref _sendFailed);

    public void Latched() => Interlocked.Increment(ref _latches);
}
