namespace FeatureB2bua.Core.Features;

/// <summary>
/// A feature module between the legs (DESIGN.md §4). At each decision point it says what the call does next;
/// <see cref="FeatureDecision.Continue"/> leaves the call to the next feature in the chain, and then to routing.
/// Features see the call through <see cref="FeatureContext"/>, never its transactions or dialogs.
/// </summary>
public interface ICallFeature
{
    /// <summary>The name used in <c>Features:Enabled</c>, in CDRs and in <c>b2bua_features_applied</c>.</summary>
    string Name { get; }

    /// <summary>A new call, before it is routed: send it elsewhere (forwarding unconditional) or refuse it.</summary>
    ValueTask<FeatureDecision> OnIncomingAsync(FeatureContext call, CancellationToken cancellationToken);

    /// <summary>Every B-leg failed and <paramref name="status"/> is what the caller would hear: try elsewhere (forwarding on busy) or answer otherwise.</summary>
    ValueTask<FeatureDecision> OnBranchFailedAsync(FeatureContext call, int status, CancellationToken cancellationToken);
}
