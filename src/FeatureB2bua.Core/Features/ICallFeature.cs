using FeatureB2bua.Core.Calls;

namespace FeatureB2bua.Core.Features;

/// <summary>
/// A feature module between the legs (DESIGN.md §4). At each decision point it says what the call does next;
/// <see cref="FeatureDecision.Continue"/> leaves the call to the next feature in the chain, and then to its normal
/// course. A module implements only the points it cares about. Features see the call through
/// <see cref="FeatureContext"/>, never its transactions or dialogs; the asynchronous points may read the store,
/// the synchronous ones run under the call's lock and decide from the context alone.
/// </summary>
public interface ICallFeature
{
    /// <summary>The name used in <c>Features:Enabled</c>, in CDRs and in <c>b2bua_features_applied</c>: the module's folder under features/.</summary>
    string Name { get; }

    /// <summary>
    /// A call is about to go to <see cref="FeatureContext.Target"/> (the dialled URI, or a forward target): send it
    /// elsewhere (forwarding unconditional), refuse it (busy), redirect the caller, or answer it here (star codes).
    /// </summary>
    ValueTask<FeatureDecision> OnIncomingAsync(FeatureContext call, CancellationToken cancellationToken) => ValueTask.FromResult(FeatureDecision.Continue);

    /// <summary>Every B-leg failed and <paramref name="status"/> is what the caller would hear: try elsewhere (forwarding on busy) or answer otherwise.</summary>
    ValueTask<FeatureDecision> OnBranchFailedAsync(FeatureContext call, int status, CancellationToken cancellationToken) => ValueTask.FromResult(FeatureDecision.Continue);

    /// <summary>How long the target may ring before <see cref="OnNoAnswer"/> is asked; null for no limit of this feature's.</summary>
    TimeSpan? NoAnswerTimeout(FeatureContext call) => null;

    /// <summary>The target rang for the no-answer time without answering: retarget (forwarding on no answer) or go on ringing.</summary>
    FeatureDecision OnNoAnswer(FeatureContext call) => FeatureDecision.Continue;

    /// <summary>The party on <paramref name="holder"/> puts the other on hold: <see cref="FeatureDecision.PlayMusic"/> plays it music.</summary>
    FeatureDecision OnHold(FeatureContext call, CallSide holder) => FeatureDecision.Continue;

    /// <summary>
    /// The caller cancelled before an answer: the value of a Reason header (RFC 3326) for the CANCELs of the
    /// pending branches, or null to leave it to the next feature. The CANCELs go either way.
    /// </summary>
    string? OnCancel(FeatureContext call) => null;
}
