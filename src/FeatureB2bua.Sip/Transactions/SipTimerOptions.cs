namespace FeatureB2bua.Sip.Transactions;

/// <summary>RFC 3261 §17.1.1.1 and Table 4 timer bases. Defaults are the RFC's; tests and LANs may shorten them.</summary>
public sealed class SipTimerOptions
{
    /// <summary>RTT estimate; retransmissions start here.</summary>
    public TimeSpan T1 { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap on non-INVITE and INVITE-response retransmit intervals.</summary>
    public TimeSpan T2 { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Longest a message stays in the network.</summary>
    public TimeSpan T4 { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timer D on unreliable transports: at least 32 s (Table 4).</summary>
    public TimeSpan TimerD { get; set; } = TimeSpan.FromSeconds(32);

    /// <summary>Timers B, F, H, J, L, M: 64*T1.</summary>
    public TimeSpan TransactionTimeout => T1 * 64;
}
