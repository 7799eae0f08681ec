using System.Diagnostics.Metrics;
using System.Text;
using FeatureB2bua.Observability;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace FeatureB2bua.Tests.Observability;

/// <summary>The exposition writer through the real SDK: a meter of the test's own, a MeterProvider and our pull exporter.</summary>
public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Counter_GetsTotal_HelpAndType()
    {
        var text = Scrape(meter => meter.CreateCounter<long>("b2bua_calls", description: "Calls ended.").Add(2, new KeyValuePair<string, object?>("result", "answered")));

        Assert.Equal("# HELP b2bua_calls_total Calls ended.\n# TYPE b2bua_calls_total counter\nb2bua_calls_total{result=\"answered\"} 2\n", text);
    }

    [Fact]
    public void UpDownCounterAndGauges_AreGauges()
    {
        var text = Scrape(meter =>
        {
            meter.CreateUpDownCounter<long>("open").Add(-3);
            meter.CreateObservableGauge("level", () => 0.25);
            meter.CreateObservableUpDownCounter("queue", () => 7L);
        });

        var exposition = PrometheusExposition.Parse(text);
        Assert.All(exposition.Families.Values, f => Assert.Equal("gauge", f.Type));
        Assert.Equal(-3, exposition.Value("open"));
        Assert.Equal(0.25, exposition.Value("level"));
        Assert.Equal(7, exposition.Value("queue"));
    }

    [Fact]
    public void Histogram_BucketsAreCumulative_EndInInf_CountAndSum()
    {
        var text = Scrape(meter =>
        {
            var h = meter.CreateHistogram<double>("setup", unit: "s", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5] });
            foreach (var v in new[] { 0.5, 1.5, 1.5, 7 })
            {
                h.Record(v, new KeyValuePair<string, object?>("route", "pstn"));
            }
        });

        Assert.Contains(
            "# TYPE setup_seconds histogram\n" +
            "setup_seconds_bucket{route=\"pstn\",le=\"1\"} 1\n" +
            "setup_seconds_bucket{route=\"pstn\",le=\"2\"} 3\n" +
            "setup_seconds_bucket{route=\"pstn\",le=\"5\"} 3\n" +
            "setup_seconds_bucket{route=\"pstn\",le=\"+Inf\"} 4\n" +
            "setup_seconds_sum{route=\"pstn\"} 10.5\n" +
            "setup_seconds_count{route=\"pstn\"} 4\n",
            text,
            StringComparison.Ordinal);
        PrometheusExposition.Parse(text);
    }

    [Fact]
    public void LabelValuesAndHelp_AreEscaped_AndReadBack()
    {
        const string Nasty = "back\\slash \"quoted\"\nnew line, é and ünïcode";
        var text = Scrape(meter => meter.CreateCounter<long>("odd", description: "Help with \\ and\na newline \"as is\"").Add(1, new KeyValuePair<string, object?>("v", Nasty)));

        Assert.Contains("# HELP odd_total Help with \\\\ and\\na newline \"as is\"\n", text, StringComparison.Ordinal);
        Assert.Contains("odd_total{v=\"back\\\\slash \\\"quoted\\\"\\nnew line, é and ünïcode\"} 1\n", text, StringComparison.Ordinal);
        var exposition = PrometheusExposition.Parse(text);
        Assert.Equal(1, exposition.Value("odd_total", ("v", Nasty)));
        Assert.Equal("Help with \\ and\na newline \"as is\"", exposition.Families["odd_total"].Help);
    }

    [Fact]
    public void NamesAndLabels_AreSanitized_UnitsAddedOnlyWhereMissing()
    {
        var text = Scrape(meter =>
        {
            meter.CreateCounter<long>("sip.messages-sent", unit: "{message}").Add(1, new KeyValuePair<string, object?>("code.class", "2xx"));
            meter.CreateCounter<long>("b2bua_rtp_bytes_relayed", unit: "By").Add(10);
            meter.CreateCounter<long>("sent", unit: "By").Add(10);
            meter.CreateObservableGauge("throughput", () => 1.5, unit: "By/s");
            meter.CreateObservableGauge("load", () => 0.5, unit: "1");
            meter.CreateCounter<long>("done_total").Add(1);
        });

        var names = PrometheusExposition.Parse(text).Families.Keys.Order(StringComparer.Ordinal);
        Assert.Equal(["b2bua_rtp_bytes_relayed_total", "done_total", "load_ratio", "sent_bytes_total", "sip_messages_sent_total", "throughput_bytes_per_second"], names);
        Assert.Contains("sip_messages_sent_total{code_class=\"2xx\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoInstrumentsOfOneName_OneFamily_TheOtherTypeLeftOut()
    {
        using var other = new Meter("Test.Other." + Guid.NewGuid().ToString("N"));
        var text = Scrape(
            meter =>
            {
                meter.CreateCounter<long>("dup").Add(1, new KeyValuePair<string, object?>("m", "1"));
                other.CreateCounter<long>("dup").Add(2, new KeyValuePair<string, object?>("m", "2"));
                other.CreateObservableGauge("dup_total", () => 5L);
            },
            other.Name);

        var family = PrometheusExposition.Parse(text).Families["dup_total"];
        Assert.Equal("counter", family.Type);
        Assert.Equal(2, family.Samples.Count);
    }

    [Fact]
    public void Values_IntegersAsIntegers_DoublesRoundTrip()
    {
        var text = Scrape(meter =>
        {
            meter.CreateCounter<long>("big").Add(long.MaxValue);
            meter.CreateObservableGauge("tiny", () => 1e-7);
            meter.CreateObservableGauge("third", () => 1.0 / 3);
            meter.CreateObservableGauge("nan", () => double.NaN);
        });

        Assert.Contains($"big_total {long.MaxValue}\n", text, StringComparison.Ordinal);
        var exposition = PrometheusExposition.Parse(text);
        Assert.Equal(1e-7, exposition.Value("tiny"));
        Assert.Equal(1.0 / 3, exposition.Value("third"));
        Assert.True(double.IsNaN(exposition.Value("nan")!.Value));
    }

    [Fact]
    public void Scrapes_AreCumulative()
    {
        using var meter = new Meter("Test." + Guid.NewGuid().ToString("N"));
        var (exporter, provider) = Provider(meter.Name);
        using (provider)
        {
            var counter = meter.CreateCounter<long>("n");
            counter.Add(1);
            Assert.Equal(1, PrometheusExposition.Parse(Text(exporter)).Value("n_total"));
            counter.Add(1);
            Assert.Equal(2, PrometheusExposition.Parse(Text(exporter)).Value("n_total"));
        }
    }

    [Fact]
    public void AfterShutdown_NoExposition()
    {
        using var meter = new Meter("Test." + Guid.NewGuid().ToString("N"));
        var (exporter, provider) = Provider(meter.Name);
        meter.CreateCounter<long>("n").Add(1);
        provider.Dispose();

        Assert.Null(exporter.Scrape(TimeSpan.FromSeconds(1)));
    }

    /// <summary>Scrapes racing each other and the instruments: each one a whole, valid exposition.</summary>
    [Fact]
    public async Task ConcurrentScrapes_UnderLoad_EachComplete()
    {
        using var meter = new Meter("Test." + Guid.NewGuid().ToString("N"));
        var (exporter, provider) = Provider(meter.Name);
        using (provider)
        {
            var counter = meter.CreateCounter<long>("calls");
            var histogram = meter.CreateHistogram<double>("setup_seconds");
            counter.Add(1, new KeyValuePair<string, object?>("result", "r0"));
            using var stop = new CancellationTokenSource();
            var load = Task.Run(() =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    counter.Add(1, new KeyValuePair<string, object?>("result", "r" + (i % 50)));
                    histogram.Record(i % 100 / 10.0, new KeyValuePair<string, object?>("route", "x" + (i % 20)));
                }
            });

            var scrapes = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => Text(exporter))));
            await stop.CancelAsync();
            await load;

            Assert.All(scrapes, text => Assert.Contains("calls_total", PrometheusExposition.Parse(text).Families.Keys));
        }
    }

    private static string Scrape(Action<Meter> record, params string[] otherMeters)
    {
        using var meter = new Meter("Test." + Guid.NewGuid().ToString("N"));
        var (exporter, provider) = Provider([meter.Name, .. otherMeters]);
        using (provider)
        {
            record(meter);
            return Text(exporter);
        }
    }

    private static (PrometheusPullExporter Exporter, MeterProvider Provider) Provider(params string[] meters)
    {
        var exporter = new PrometheusPullExporter();
        var provider = Sdk.CreateMeterProviderBuilder().AddMeter(meters).AddReader(new BaseExportingMetricReader(exporter)).Build();
        return (exporter, provider);
    }

    private static string Text(PrometheusPullExporter exporter) =>
        Encoding.UTF8.GetString(exporter.Scrape(TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException("no exposition"));
}
