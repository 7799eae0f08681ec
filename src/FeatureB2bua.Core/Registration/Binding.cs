namespace FeatureB2bua.Core.Registration;

/// <summary>
/// One contact bound to an address-of-record (RFC 3261 §10.3). <see cref="CallId"/> and <see cref="CSeq"/>
/// are those of the REGISTER that last wrote it, for the ordering rule of step 7. <see cref="Source"/> is
/// where that REGISTER came from (<c>udp:203.0.113.5:5060</c>), the address that reaches a phone behind NAT.
/// </summary>
public sealed record Binding(
    string Aor,
    string Contact,
    int Q,
    DateTimeOffset ExpiresAt,
    string CallId,
    uint CSeq,
    string Source,
    DateTimeOffset UpdatedAt)
{
    public string? UserAgent { get; init; }

    public TimeSpan RemainingAt(DateTimeOffset now) => ExpiresAt > now ? ExpiresAt - now : TimeSpan.Zero;
}
