using System.Diagnostics.Metrics;

namespace FeatureB2bua.Core.Routing;

/// <summary>
/// The health of every upstream of <c>Routing:Routes</c>, keyed by the target as configured: call attempts feed
/// each one's circuit breaker, OPTIONS probes its probe state, and the call router asks which are usable. The
/// gauge <c>b2bua_upstream_up{target}</c> (DESIGN.md §6) is 1 for a usable upstream and 0 otherwise.
/// Keys it does not know (a registered contact has none) are ignored and count as usable.
/// </summary>
public sealed class UpstreamHealth
{
    public const string MeterName = "FeatureB2bua.Routing";

    private readonly Dictionary<string, UpstreamState> _upstreams = new(StringComparer.Ordinal);

    public UpstreamHealth(RoutingOptions options, TimeProvider time, IMeterFactory? meters = null)
    {
        foreach (var key in options.Upstreams())
        {
            _upstreams[key] = new UpstreamState(key, new UpstreamBreaker(options.CircuitBreaker, time), options.Probe.FailuresToDown, time);
        }

        Upstreams = [.. options.Upstreams()];
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        meter.CreateObservableGauge("b2bua_upstream_up", Observe, description: "1 while an upstream is usable (probe not down, circuit not open), else 0.");
    }

    /// <summary>The upstreams in the order first configured.</summary>
    public IReadOnlyList<string> Upstreams { get; }

    public bool IsUsable(string upstream) => !_upstreams.TryGetValue(upstream, out var state) || state.IsUsable;

    /// <summary>The outcome of a call attempt on an upstream; null (a registered contact) or an unknown key is ignored.</summary>
    public void Report(string? upstream, UpstreamOutcome outcome)
    {
        if (upstream is not null && _upstreams.TryGetValue(upstream, out var state))
        {
            state.Breaker.Report(outcome);
        }
    }

    /// <summary>A final response to a call attempt; 503 and 408 count as failures (<see cref="UpstreamOutcomes.ForStatus"/>).</summary>
    public void Report(string? upstream, int statusCode) => Report(upstream, UpstreamOutcomes.ForStatus(statusCode));

    /// <summary>
    /// A final response to a probe. Any answer but 503 proves the server alive, a 404, 405 or 407 included (an
    /// upstream need not accept our OPTIONS to take calls); 503 says it will not take any now (RFC 3261 §21.5.4).
    /// </summary>
    public void ProbeAnswered(string upstream, int statusCode, string reasonPhrase)
    {
        if (!_upstreams.TryGetValue(upstream, out var state))
        {
            return;
        }

        var result = $"{statusCode} {reasonPhrase}";
        if (statusCode == 503)
        {
            state.ProbeFailed(statusCode, result);
        }
        else
        {
            state.ProbeSucceeded(statusCode, result);
        }
    }

    /// <summary>A probe that got no answer: Timer F fired, or the transport failed (RFC 3261 §17.1.2.2, §17.1.4).</summary>
    public void ProbeUnanswered(string upstream, string why)
    {
        if (_upstreams.TryGetValue(upstream, out var state))
        {
            state.ProbeFailed(null, why);
        }
    }

    public IReadOnlyList<UpstreamStatus> Snapshot() => [.. Upstreams.Select(u => _upstreams[u].Snapshot())];

    private IEnumerable<Measurement<long>> Observe() =>
        Upstreams.Select(u => new Measurement<long>(_upstreams[u].IsUsable ? 1 : 0, new KeyValuePair<string, object?>("target", u)));
}
