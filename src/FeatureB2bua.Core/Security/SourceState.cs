namespace FeatureB2bua.Core.Security;

/// <summary>What the flood gate knows of one source address; its fields change under a lock on the instance.</summary>
internal sealed class SourceState(bool exempt, FloodOptions options, long now)
{
    public TokenBucket Invite = TokenBucket.Full(options.Invite, now);
    public TokenBucket Register = TokenBucket.Full(options.Register, now);
    public TokenBucket Other = TokenBucket.Full(options.Other, now);

    /// <summary>Trusted or exempt: never limited. Worked out once, when the source is first seen.</summary>
    public bool Exempt { get; } = exempt;

    public long LastSeen = now;
    public long WindowStart = now;
    public int Rejections;
}
