using System.Diagnostics.Metrics;

namespace FeatureB2bua.Core.Calls;

/// <summary>What happens to CDRs on their way to the store: those lost, by reason, and failed writes.</summary>
public sealed class CallRecordMetrics
{
    public const string MeterName = "FeatureB2bua.Calls";

    private readonly Counter<long> _dropped;
    private readonly Counter<long> _writeErrors;

    public CallRecordMetrics(IMeterFactory? factory = null)
    {
        Meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _dropped = Meter.CreateCounter<long>("b2bua_cdr_dropped", description: "CDRs lost: the queue was full or closed, or the store failed every attempt.");
        _writeErrors = Meter.CreateCounter<long>("b2bua_cdr_write_errors", description: "Attempts to write a batch of CDRs that the store failed.");
    }

    public Meter Meter { get; }

    public void Dropped(long count, string reason) => _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void WriteFailed() => _writeErrors.Add(1);
}
