using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Routing;

/// <summary>
/// One place to try a call: the B-leg's Request-URI and where to send it. A target of a static route names its
/// upstream (the key of <see cref="UpstreamHealth"/>), which the call reports the attempt's outcome to; a
/// registered contact has none.
/// </summary>
public sealed record CallTarget(SipUri RequestUri, SipDestination Destination, string? Upstream = null);

/// <summary>What routing found: targets in the order to try them, or the status to refuse the call with.</summary>
public sealed record RoutingDecision(IReadOnlyList<CallTarget> Targets, int FailureStatus = 0, string FailureReason = "")
{
    public static RoutingDecision Refuse(int status, string reason) => new([], status, reason);
}
