using Polly.CircuitBreaker;

namespace FeatureB2bua.Core.Routing;

/// <summary>
/// One upstream's health: its circuit breaker, fed by call attempts, and its probe state, fed by OPTIONS pings.
/// It is usable unless either says no.
/// </summary>
internal sealed class UpstreamState(string key, UpstreamBreaker breaker, int failuresToDown, TimeProvider time)
{
    private readonly object _gate = new();
    private UpstreamProbeState _probe;
    private int _probeFailures;
    private DateTimeOffset? _lastProbeAt;
    private int? _lastProbeStatus;
    private string? _lastProbeResult;

    public string Key => key;

    public UpstreamBreaker Breaker => breaker;

    public bool IsUsable
    {
        get
        {
            lock (_gate)
            {
                return _probe != UpstreamProbeState.Down && breaker.State != CircuitState.Open;
            }
        }
    }

    /// <summary>One success is enough to bring a down upstream back, as Kamailio's dispatcher does.</summary>
    public void ProbeSucceeded(int status, string result)
    {
        lock (_gate)
        {
            _probeFailures = 0;
            _probe = UpstreamProbeState.Up;
            Record(status, result);
        }
    }

    public void ProbeFailed(int? status, string result)
    {
        lock (_gate)
        {
            if (++_probeFailures >= failuresToDown)
            {
                _probe = UpstreamProbeState.Down;
            }

            Record(status, result);
        }
    }

    public UpstreamStatus Snapshot()
    {
        lock (_gate)
        {
            var breakerState = breaker.State;
            return new UpstreamStatus(
                key, _probe != UpstreamProbeState.Down && breakerState != CircuitState.Open, _probe, breakerState, _probeFailures, _lastProbeAt, _lastProbeStatus, _lastProbeResult);
        }
    }

    private void Record(int? status, string result)
    {
        _lastProbeAt = time.GetUtcNow();
        _lastProbeStatus = status;
        _lastProbeResult = result;
    }
}
