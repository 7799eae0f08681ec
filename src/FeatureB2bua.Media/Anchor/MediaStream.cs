namespace FeatureB2bua.Media.Anchor;

/// <summary>Our ports of one m= line: an RTP/RTCP pair facing each party, RTP crossed with RTP and RTCP with RTCP.</summary>
internal sealed class MediaStream : IDisposable
{
    private readonly PortPool _pool;

    public MediaStream(PortPool pool, MediaPair a, MediaPair b)
    {
        _pool = pool;
        A = a;
        B = b;
        (a.Rtp.Opposite, b.Rtp.Opposite) = (b.Rtp, a.Rtp);
        (a.Rtcp.Opposite, b.Rtcp.Opposite) = (b.Rtcp, a.Rtcp);
    }

    public MediaPair A { get; }

    public MediaPair B { get; }

    public MediaPair Facing(Core.Calls.CallSide side) => side == Core.Calls.CallSide.A ? A : B;

    public void Dispose()
    {
        foreach (var pair in new[] { A, B })
        {
            pair.Rtp.Dispose();
            pair.Rtcp.Dispose();
            _pool.Return(pair.Rtp.Port);
        }
    }
}

/// <summary>The RTP port (even) and RTCP port (the odd one above) facing one party.</summary>
internal sealed record MediaPair(MediaPort Rtp, MediaPort Rtcp)
{
    /// <summary>Supervision's view of this party's RTP: the count last seen and when it last moved.</summary>
    public long SeenCount { get; set; }

    public DateTimeOffset LastActive { get; set; }
}
