using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>Sums what one instrument records, by one tag value, while the test runs.</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public MetricRecorder(string instrument, string tag)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Name == instrument)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var t in tags)
            {
                if (t.Key == tag)
                {
                    _totals.AddOrUpdate(t.Value?.ToString() ?? string.Empty, value, (_, v) => v + value);
                }
            }
        });
        _listener.Start();
    }

    public long Get(string tagValue) => _totals.TryGetValue(tagValue, out var v) ? v : 0;

    public void Dispose() => _listener.Dispose();
}
