using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Routing;

/// <summary>
/// One place to try a call: the B-leg's Request-URI and where to send it. Consecutive targets of the same
/// <paramref name="Group"/> are rung at once (registered contacts of equal q); a registered contact
/// (<paramref name="IsContact"/>) gives way to the next group on any failure, an upstream only on 408 or 503.
/// </summary>
public sealed record CallTarget(SipUri RequestUri, SipDestination Destination, int Group = 0, bool IsContact = false);

/// <summary>What routing found: targets in the order to try them, or the status to refuse the call with.</summary>
public sealed record RoutingDecision(IReadOnlyList<CallTarget> Targets, int FailureStatus = 0, string FailureReason = "")
{
    public static RoutingDecision Refuse(int status, string reason) => new([], status, reason);
}
