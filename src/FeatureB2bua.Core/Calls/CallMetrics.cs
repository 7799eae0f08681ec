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
        _ended = Meter.CreateCounter<long>("b2bua_calls", description: "Calls ended, by result (answered, busy, failed, cancelled, ...) and whether they had been answered.");
        _setup = Meter.CreateHistogram<double>(
            "b2bua_call_setup_seconds",
            unit: "s",
            description: "From the caller's INVITE to the answer relayed to it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60] });
        _features = Meter.CreateCounter<long>("b2bua_features_applied", description: "Decisions of feature modules that changed a call, by feature.");

        // The commonest endings start at zero, so that an answer-seizure ratio has both its series from the first
        // scrape, and a first failure after a restart is an increase that rate() and increase() can see.
        Ended("answered", answered: true, count: 0);
        foreach (var unanswered in (string[])["busy", "failed", "cancelled"])
        {
            Ended(unanswered, answered: false, count: 0);
        }
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

    /// <summary>
    /// <paramref name="answered"/> apart from the result, since an answered call can end many ways (hung up, media
    /// timeout, session expired, drain): the answer-seizure ratio is <c>answered="true"</c> over all.
    /// </summary>
    public void Ended(string result, bool answered) => Ended(result, answered, 1);

    private void Ended(string result, bool answered, long count) =>
        _ended.Add(count, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("answered", answered ? "true" : "false"));

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
