using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Core.Features;

/// <summary>What a feature decided at a decision point.</summary>
public abstract record FeatureDecision
{
    public static readonly FeatureDecision Continue = new ContinueDecision();

    private FeatureDecision()
    {
    }

    public static FeatureDecision Retarget(SipUri target) => new RetargetDecision(target);

    public static FeatureDecision Reject(int status, string reason) => new RejectDecision(status, reason);

    /// <summary>Nothing to do here: the next feature decides, then the call goes on as it would have.</summary>
    public sealed record ContinueDecision : FeatureDecision;

    /// <summary>A new B-leg to <paramref name="Target"/>, routed like a dialled URI; the caller's dialog stays as it is.</summary>
    public sealed record RetargetDecision(SipUri Target) : FeatureDecision;

    /// <summary>The caller is answered with this final status.</summary>
    public sealed record RejectDecision(int Status, string Reason) : FeatureDecision;
}
