namespace FeatureB2bua.Sip.Transactions;

/// <summary>The states of the four machines of RFC 3261 §17, with Accepted from RFC 6026 §7.1; no others exist.</summary>
public enum TransactionState : byte
{
    Calling,
    Trying,
    Proceeding,
    Accepted,
    Completed,
    Confirmed,
    Terminated,
}
