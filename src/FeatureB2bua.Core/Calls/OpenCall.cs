namespace FeatureB2bua.Core.Calls;

/// <summary>
/// A call in progress as the store's journal of open calls keeps it: written when the call starts, again when it is
/// answered, and removed with the call's CDR. What is left in the journal after a crash was in progress at the crash.
/// </summary>
public sealed record OpenCall(string CallId, string Caller, string Dialled, DateTimeOffset SetupAt, DateTimeOffset? AnsweredAt, DateTimeOffset SeenAt)
{
    /// <summary>The CDR result of a call that was in progress when the server stopped without ending it (a crash, kill -9).</summary>
    public const string InterruptedResult = "interrupted";

    /// <summary>The node (Cluster:NodeId) that holds the call.</summary>
    public string Node { get; init; } = "";

    /// <summary>Both legs' dialog identifiers as JSON (CallLegs), to hang them up from another process; opaque to the store.</summary>
    public string? Legs { get; init; }
}
