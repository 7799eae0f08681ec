namespace FeatureB2bua.Core.Tracing;

/// <summary>What one entry of the trace queue says: a message in or out, or a call event that tells the filer which Call-ID is whose.</summary>
public enum TraceEntryKind
{
    Received,
    Sent,
    CallStarted,
    BranchStarted,
    CallEnded,
}
