using Polly.CircuitBreaker;

namespace FeatureB2bua.Core.Routing;

/// <summary>
/// What is known of one upstream at a moment, for the admin API. <paramref name="LastProbeStatus"/> is null when
/// the last probe got no answer (timeout or transport error, named in <paramref name="LastProbeResult"/>).
/// </summary>
public sealed record UpstreamStatus(
    string Upstream,
    bool Usable,
    UpstreamProbeState Probe,
    CircuitState Breaker,
    int ConsecutiveProbeFailures,
    DateTimeOffset? LastProbeAt,
    int? LastProbeStatus,
    string? LastProbeResult);
