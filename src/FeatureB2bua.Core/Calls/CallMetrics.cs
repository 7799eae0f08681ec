using System.Diagnostics.Metrics;

namespace FeatureB2bua.Core.Calls;

/// <summary>The calls of DESIGN.md §6: how they ended, how many are up, and how long they took to answer.</summary>
public sealed class CallMetrics
{
    private readonly Counter<long> _ended;
    private readonly Histogram<double> _setup;
    private readonly Counter<long> _features;

    public CallMetrics(IMeterFactory? factory = null)
    {
        Meter = factory?.Create(CallRecordMetrics.MeterName) ?? new Meter(CallRecordMetrics.MeterName);
        _ended = Meter.CreateCounter<long>("b2bua_calls", description: "Calls ended, by result (answered, busy, failed, cancelled, ...).");
        _setup = Meter.CreateHistogram<double>(
            "b2bua_call_setup_seconds",
            unit: "s",
            description: "From the caller's INVITE to the answer relayed to it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60] });
        _features = Meter.CreateCounter<long>("b2bua_features_applied", description: "Decisions of feature modules that changed a call, by feature.");
    }

    public Meter Meter { get; }

    /// <summary>Called once, by the registry that knows the count.</summary>
    public void ObserveActive(Func<long> active) =>
        Meter.CreateObservableGauge("b2bua_calls_active", active, description: "Calls in progress, from the caller's INVITE until the CDR.");

    /// <summary>Called once, by the drain that knows both: whether the node is draining, and the calls it still waits for.</summary>
    public void ObserveDrain(Func<int> draining, Func<long> remaining)
    {
        Meter.CreateObservableGauge("b2bua_draining", draining, description: "1 while the node drains (takes no new calls and fails /readyz), else 0.");
        Meter.CreateObservableGauge("b2bua_drain_calls_remaining", remaining, description: "Calls still in progress while the node drains; 0 when not draining.");
    }

    public void Ended(string result) => _ended.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Answered(TimeSpan setup) => _setup.Record(setup.TotalSeconds);

    /// <summary>The enabled features start at zero, so that the series of a feature exists before it is first applied.</summary>
    public void FeaturesEnabled(IEnumerable<string> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        foreach (var feature in features)
        {
            _features.Add(0, new KeyValuePair<string, object?>("feature", feature));
        }
    }

    public void FeatureApplied(string feature) => _features.Add(1, new KeyValuePair<string, object?>("feature", feature));
}
