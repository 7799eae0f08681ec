namespace FeatureB2bua.Sip.Transactions;

/// <summary>The timers of RFC 3261 §17 (A-K) and RFC 6026 (L, M).</summary>
public enum TimerId : byte
{
    A,
    B,
    D,
    E,
    F,
    G,
    H,
    I,
    J,
    K,
    L,
    M,
}
