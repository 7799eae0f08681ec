namespace FeatureB2bua.Core.Calls;

/// <summary>A call as it stands at one moment, taken under its lock: its state and both legs.</summary>
/// <param name="Target">The Request-URI of the answered B-leg, else of the latest branch tried.</param>
/// <param name="Branches">B-leg INVITEs sent so far (forks, failovers, redirections).</param>
/// <param name="Media">Packets relayed each way and media health, when the call's media is anchored.</param>
public sealed record CallSnapshot(
    string ACallId,
    string? BCallId,
    CallState State,
    string Caller,
    string Dialled,
    string? Target,
    int Branches,
    DateTimeOffset SetupAt,
    DateTimeOffset? AnsweredAt,
    MediaSnapshot? Media)
{
    /// <summary>The feature modules that acted on the call so far, in the order they did.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];
}
