namespace FeatureB2bua.Core.Calls;

/// <summary>The CDR of one call: who called whom, where it went, when it was set up, answered and ended, and how it ended.</summary>
public sealed record CallRecord(
    string CallId,
    string Caller,
    string Dialled,
    string? FinalTarget,
    DateTimeOffset SetupAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset EndedAt,
    string Result,
    int FinalStatus,
    string? FailureReason)
{
    /// <summary>The feature modules that acted on the call, in the order they did.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];
}
