using FeatureB2bua.Core.Calls;

namespace FeatureB2bua.Hosting;

/// <summary>A call in progress as <c>GET /api/calls</c> and the console's <c>calls</c> event show it.</summary>
internal sealed record CallView(
    string ACallId,
    string? BCallId,
    string State,
    string Caller,
    string Dialled,
    string? Target,
    int Branches,
    DateTimeOffset SetupAt,
    DateTimeOffset? AnsweredAt,
    double DurationSeconds,
    MediaSnapshot? Media,
    IReadOnlyList<string> Features)
{
    public static IEnumerable<CallView> Current(CallRegistry calls, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return calls.Active.Select(c => c.Snapshot()).Select(c => new CallView(
            c.ACallId, c.BCallId, c.State.ToString(), c.Caller, c.Dialled, c.Target, c.Branches, c.SetupAt, c.AnsweredAt, (now - c.SetupAt).TotalSeconds, c.Media, c.Features));
    }
}
