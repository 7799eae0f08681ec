using System.Buffers;
using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace FeatureB2bua.Observability;

/// <summary>
/// Writes one collection of OpenTelemetry metrics as Prometheus text format 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): per family a <c># HELP</c> and a
/// <c># TYPE</c> line, then its samples together. Counters are <c>counter</c>, up-down counters and gauges
/// <c>gauge</c>, histograms cumulative <c>_bucket{le}</c> ending in <c>+Inf</c>, <c>_sum</c> and <c>_count</c>.
/// No timestamps: Prometheus stamps a scrape itself.
/// </summary>
public sealed class PrometheusTextWriter
{
    private static readonly byte[] Inf = "+Inf"u8.ToArray();
    private readonly IBufferWriter<byte> _out;
    private readonly List<(string Name, PrometheusType Type, Metric Metric)> _families = [];

    public PrometheusTextWriter(IBufferWriter<byte> output) => _out = output;

    /// <summary>
    /// Families go out sorted by name, so that two instruments that map to the same name share one HELP and TYPE
    /// (a second TYPE line for a name makes Prometheus reject the whole scrape); one of another type is left out.
    /// </summary>
    public void Write(in Batch<Metric> metrics)
    {
        _families.Clear();
        foreach (var metric in metrics)
        {
            if (TypeOf(metric.MetricType) is { } type)
            {
                _families.Add((PrometheusNames.Metric(metric.Name, metric.Unit, type), type, metric));
            }
        }

        // List.Sort is not stable; the index keeps instruments of one name in the order the SDK gave them.
        var ordered = _families.Select((f, i) => (f, i)).OrderBy(x => x.f.Name, StringComparer.Ordinal).ThenBy(x => x.i);
        string? family = null;
        var familyType = PrometheusType.Gauge;
        foreach (var ((name, type, metric), _) in ordered)
        {
            if (name != family)
            {
                family = name;
                familyType = type;
                WriteHeader(name, type, metric.Description);
            }
            else if (type != familyType)
            {
                continue;
            }

            WriteSamples(name, type, metric);
        }
    }

    private static PrometheusType? TypeOf(MetricType type) => type switch
    {
        MetricType.LongSum or MetricType.DoubleSum => PrometheusType.Counter,
        MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic or MetricType.LongGauge or MetricType.DoubleGauge => PrometheusType.Gauge,
        MetricType.Histogram => PrometheusType.Histogram,

        // Exponential histograms have no form in 0.0.4; no view of ours asks for them.
        _ => null,
    };

    private void WriteHeader(string name, PrometheusType type, string? description)
    {
        if (!string.IsNullOrEmpty(description))
        {
            Ascii("# HELP ");
            Ascii(name);
            Ascii(" ");
            Escaped(description, quote: false);
            Ascii("\n");
        }

        Ascii("# TYPE ");
        Ascii(name);
        Ascii(type switch
        {
            PrometheusType.Counter => " counter\n",
            PrometheusType.Gauge => " gauge\n",
            _ => " histogram\n",
        });
    }

    private void WriteSamples(string name, PrometheusType type, Metric metric)
    {
        var isLong = metric.MetricType is MetricType.LongSum or MetricType.LongSumNonMonotonic or MetricType.LongGauge;
        var isGauge = metric.MetricType is MetricType.LongGauge or MetricType.DoubleGauge;
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            if (type == PrometheusType.Histogram)
            {
                WriteHistogram(name, in point);
                continue;
            }

            Ascii(name);
            Labels(point.Tags, le: null);
            Ascii(" ");
            if (isLong)
            {
                Long(isGauge ? point.GetGaugeLastValueLong() : point.GetSumLong());
            }
            else
            {
                Double(isGauge ? point.GetGaugeLastValueDouble() : point.GetSumDouble());
            }

            Ascii("\n");
        }
    }

    private void WriteHistogram(string name, in MetricPoint point)
    {
        // OpenTelemetry counts per bucket; Prometheus buckets count everything up to their bound.
        long cumulative = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            Ascii(name);
            Ascii("_bucket");
            Labels(point.Tags, bucket.ExplicitBound);
            Ascii(" ");
            Long(cumulative);
            Ascii("\n");
        }

        Ascii(name);
        Ascii("_sum");
        Labels(point.Tags, le: null);
        Ascii(" ");
        Double(point.GetHistogramSum());
        Ascii("\n");
        Ascii(name);
        Ascii("_count");
        Labels(point.Tags, le: null);
        Ascii(" ");
        Long(point.GetHistogramCount());
        Ascii("\n");
    }

    private void Labels(ReadOnlyTagCollection tags, double? le)
    {
        if (tags.Count == 0 && le is null)
        {
            return;
        }

        var first = true;
        Ascii("{");
        foreach (var tag in tags)
        {
            if (!first)
            {
                Ascii(",");
            }

            first = false;
            Ascii(PrometheusNames.Label(tag.Key));
            Ascii("=\"");
            Escaped(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "", quote: true);
            Ascii("\"");
        }

        if (le is { } bound)
        {
            Ascii(first ? "le=\"" : ",le=\"");
            Double(bound);
            Ascii("\"");
        }

        Ascii("}");
    }

    /// <summary>HELP text escapes backslash and newline; label values double quotes as well (format 0.0.4).</summary>
    private void Escaped(string text, bool quote)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var escape = text[i] switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '"' when quote => "\\\"",
                _ => null,
            };
            if (escape is not null)
            {
                Utf8(text.AsSpan(start, i - start));
                Ascii(escape);
                start = i + 1;
            }
        }

        Utf8(text.AsSpan(start));
    }

    private void Long(long value)
    {
        var span = _out.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _out.Advance(written);
    }

    private void Double(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            _out.Write(Inf);
            return;
        }

        if (double.IsNegativeInfinity(value))
        {
            Ascii("-Inf");
            return;
        }

        // NaN formats as "NaN" invariantly; the rest as the shortest text that reads back to the same double.
        var span = _out.GetSpan(32);
        value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture);
        _out.Advance(written);
    }

    private void Ascii(string text) => Utf8(text);

    private void Utf8(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var span = _out.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _out.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
