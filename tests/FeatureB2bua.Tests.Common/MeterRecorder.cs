using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FeatureB2bua.Tests.Common;

/// <summary>
/// Sums long measurements by instrument name and tag values ("name" or "name|tag=value|..."), and counts double
/// ones ("name#count"), for the instruments
/// of one Meter (exact: other servers in the same test run are not counted) or, where the meter is not at hand,
/// of one instrument name.
/// </summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public MeterRecorder(Meter meter)
        : this(instrument => instrument.Meter == meter)
    {
    }

    public MeterRecorder(string instrumentName)
        : this(instrument => instrument.Name == instrumentName)
    {
    }

    private MeterRecorder(Func<Instrument, bool> select)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (select(instrument))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            _totals.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                key += $"|{tag.Key}={tag.Value}";
            }

            if (!tags.IsEmpty)
            {
                _totals.AddOrUpdate(key, value, (_, sum) => sum + value);
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            // Histograms of durations: what a test can pin down is how many were recorded.
            var key = instrument.Name + "#count";
            _totals.AddOrUpdate(key, 1, (_, sum) => sum + 1);
        });
        _listener.Start();
    }

    /// <summary>Reads the observable instruments once: a gauge's value is then its total here.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public long Total(string key) => _totals.GetValueOrDefault(key);

    public void Dispose() => _listener.Dispose();
}
