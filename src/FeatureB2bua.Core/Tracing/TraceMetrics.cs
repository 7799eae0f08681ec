using System.Diagnostics.Metrics;

namespace FeatureB2bua.Core.Tracing;

/// <summary>What the console's SIP trace lost: entries dropped because the filing fell behind the queue's bound.</summary>
public sealed class TraceMetrics
{
    public const string MeterName = "FeatureB2bua.Trace";

    private readonly Counter<long> _dropped;

    public TraceMetrics(IMeterFactory? factory = null)
    {
        Meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _dropped = Meter.CreateCounter<long>("b2bua_trace_dropped", description: "SIP trace entries dropped because the trace queue was full (the oldest waiting goes).");
        _dropped.Add(0);
    }

    public Meter Meter { get; }

    public void Dropped() => _dropped.Add(1);
}
