namespace FeatureB2bua.Core.Security;

/// <summary>The <c>Security:Flood</c> section: per-source token buckets, the pike-style ban and the table bound.</summary>
public sealed class FloodOptions
{
    public const string Section = "Security:Flood";

    public bool Enabled { get; set; } = true;

    /// <summary>A phone places a call every few seconds at most; 50 at once covers an office behind one NAT address.</summary>
    public BucketOptions Invite { get; set; } = new() { PermitsPerSecond = 10, Burst = 50 };

    /// <summary>A registration costs two requests (challenge, then credentials); 100 phones behind one NAT refresh well within this.</summary>
    public BucketOptions Register { get; set; } = new() { PermitsPerSecond = 20, Burst = 100 };

    /// <summary>ACK, BYE, CANCEL, OPTIONS, re-INVITEs' neighbours: in-dialog traffic of every call that source has.</summary>
    public BucketOptions Other { get; set; } = new() { PermitsPerSecond = 50, Burst = 200 };

    /// <summary><c>drop</c> (silently) or <c>reject</c> (503 with <see cref="RetryAfterSeconds"/>).</summary>
    public string Action { get; set; } = "drop";

    public int RetryAfterSeconds { get; set; } = 30;

    /// <summary>A source rejected this many times within <see cref="BanWindow"/> is banned; 0 turns bans off.</summary>
    public int BanAfterRejections { get; set; } = 100;

    public TimeSpan BanWindow { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan BanDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Sources tracked at once (and bans held at once): spoofed addresses cannot grow memory past this, the
    /// least recently seen go first.
    /// </summary>
    public int MaxSources { get; set; } = 100_000;

    /// <summary>CIDRs never limited, beside <c>Routing:Trusted</c>.</summary>
    public List<string> Exempt { get; set; } = [];

    public bool RejectsWith503 => string.Equals(Action, "reject", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One token bucket: refills at <see cref="PermitsPerSecond"/>, holds at most <see cref="Burst"/>.</summary>
public sealed class BucketOptions
{
    public double PermitsPerSecond { get; set; }

    public double Burst { get; set; }
}
