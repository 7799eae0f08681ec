using System.Buffers;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace FeatureB2bua.Observability;

/// <summary>
/// The exporter of a pull reader: nothing is collected until a scrape asks, and then the whole exposition is
/// written into a buffer and published as one array. A scrape therefore gets a complete exposition or none
/// (null: collection failed, timed out or the provider is shut down), never part of one.
/// </summary>
[ExportModes(ExportModes.Pull)]
public sealed class PrometheusPullExporter : BaseExporter<Metric>, IPullMetricExporter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly PrometheusTextWriter _writer;
    private byte[]? _latest;

    public PrometheusPullExporter() => _writer = new PrometheusTextWriter(_buffer);

    /// <summary>Set by the reader this exporter is given to (<see cref="BaseExportingMetricReader"/>).</summary>
    public Func<int, bool>? Collect { get; set; }

    /// <summary>
    /// Collects and returns the exposition. The SDK runs one collection at a time and lets concurrent callers share
    /// it, and each result is a fresh array, so concurrent scrapes each get a consistent exposition.
    /// </summary>
    public byte[]? Scrape(TimeSpan timeout)
    {
        var collect = Collect;
        return collect is not null && collect((int)timeout.TotalMilliseconds) ? Volatile.Read(ref _latest) : null;
    }

    public override ExportResult Export(in Batch<Metric> batch)
    {
        lock (_buffer)
        {
            _buffer.ResetWrittenCount();
            _writer.Write(batch);
            Volatile.Write(ref _latest, _buffer.WrittenSpan.ToArray());
            return ExportResult.Success;
        }
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        Collect = null;
        return true;
    }
}
