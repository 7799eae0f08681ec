namespace FeatureB2bua.Core.Security;

/// <summary>
/// One source's token bucket, refilled lazily from the <see cref="TimeProvider"/> timestamp when a request arrives.
/// Ours rather than System.Threading.RateLimiting's TokenBucketRateLimiter: that one refills from its own timer or
/// the Stopwatch, never a TimeProvider, and with AutoReplenishment=false only adds a fixed amount per TryReplenish
/// call, so a timer would have to visit every tracked source each period (idle ones too); it also holds a lock and
/// a waiter queue per instance and allocates a lease for every refusal. Refilling on arrival is O(1), free of
/// allocation and exact under a manual clock. The caller holds the lock of the source the bucket belongs to.
/// </summary>
internal struct TokenBucket
{
    private double _tokens;
    private long _stamp;

    public static TokenBucket Full(BucketOptions options, long now) => new() { _tokens = options.Burst, _stamp = now };

    public bool TryTake(BucketOptions options, long now, long frequency)
    {
        var elapsed = (now - _stamp) / (double)frequency;
        _stamp = now;
        _tokens = Math.Min(options.Burst, _tokens + (elapsed * options.PermitsPerSecond));
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
