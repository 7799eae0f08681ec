using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Routing;

/// <summary>
/// One place to try a call: the B-leg's Request-URI and where to send it. Consecutive targets of the same
/// <paramref name="Group"/> are rung at once (registered contacts of equal q). A target of a static route names its
/// <paramref name="Upstream"/> (the key of <see cref="UpstreamHealth"/>, which hears how each attempt went) and is
/// failed over only on 408 or 503; a registered or redirected contact has none and gives way on any failure.
/// </summary>
public sealed record CallTarget(SipUri RequestUri, SipDestination Destination, int Group = 0, string? Upstream = null);

/// <summary>
/// What routing found: targets in the order to try them, or the status to refuse the call with (and a Warning
/// header value saying why, if any); and the codecs the route allows (empty: any).
/// </summary>
public sealed record RoutingDecision(IReadOnlyList<CallTarget> Targets, int FailureStatus = 0, string FailureReason = "", IReadOnlyList<string>? Codecs = null, string? Warning = null)
{
    public static RoutingDecision Refuse(int status, string reason, string? warning = null) => new([], status, reason, Warning: warning);
}
