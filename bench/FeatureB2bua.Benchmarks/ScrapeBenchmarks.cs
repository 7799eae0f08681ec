using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using FeatureB2bua.Observability;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace FeatureB2bua.Benchmarks;

/// <summary>
/// One Prometheus scrape (collect and write the whole exposition) of the series a running server has: the families
/// of DESIGN.md §6 and the rest with their real label sets, and <see cref="Upstreams"/> upstream targets (a small
/// edge has a few, a trunk-heavy one some hundred).
/// </summary>
[MemoryDiagnoser]
public class ScrapeBenchmarks
{
    private static readonly string[] Results = ["answered", "busy", "failed", "cancelled", "session-expired", "max-duration", "no-ack", "dead-leg", "error", "media-timeout"];
    private static readonly string[] Methods = ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "UPDATE", "INFO", "PRACK", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "OTHER"];
    private static readonly string[] Features = ["star-codes", "forward-unconditional", "busy", "forward-busy", "forward-no-answer", "hold", "cancel"];

    private Meter _meter = null!;
    private MeterProvider _provider = null!;
    private PrometheusPullExporter _exporter = null!;

    [Params(4, 200)]
    public int Upstreams { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _meter = new Meter("FeatureB2bua.Bench");
        _exporter = new PrometheusPullExporter();
        _provider = Sdk.CreateMeterProviderBuilder().AddMeter(_meter.Name).AddReader(new BaseExportingMetricReader(_exporter)).Build();

        var calls = _meter.CreateCounter<long>("b2bua_calls", description: "Calls ended, by result.");
        foreach (var result in Results)
        {
            calls.Add(1234, Tag("result", result));
        }

        var setup = _meter.CreateHistogram<double>("b2bua_call_setup_seconds", "s", "From INVITE to answer.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60] });
        for (var i = 0; i < 1000; i++)
        {
            setup.Record(i % 97 / 10.0);
        }

        var requests = _meter.CreateCounter<long>("b2bua_sip_requests", description: "SIP requests received, by method.");
        foreach (var method in Methods)
        {
            requests.Add(98765, Tag("method", method));
        }

        var responses = _meter.CreateCounter<long>("b2bua_sip_responses", description: "SIP responses, by class.");
        foreach (var cls in new[] { "1xx", "2xx", "3xx", "4xx", "5xx", "6xx" })
        {
            responses.Add(4321, Tag("code_class", cls), Tag("direction", "in"));
            responses.Add(4321, Tag("code_class", cls), Tag("direction", "out"));
        }

        var features = _meter.CreateCounter<long>("b2bua_features_applied", description: "Feature decisions, by feature.");
        foreach (var feature in Features)
        {
            features.Add(12, Tag("feature", feature));
        }

        var register = _meter.CreateCounter<long>("b2bua_register", description: "REGISTERs, by result.");
        foreach (var result in new[] { "registered", "unregistered", "queried", "rejected" })
        {
            register.Add(555, Tag("result", result));
        }

        var targets = Enumerable.Range(0, Upstreams).Select(i => $"sip:10.0.{i / 250}.{i % 250}:5060").ToArray();
        _meter.CreateObservableGauge("b2bua_upstream_up", () => targets.Select(t => new Measurement<long>(1, Tag("target", t))), description: "1 while usable.");
        foreach (var name in new[] { "b2bua_sip_retransmissions", "b2bua_auth_failures", "b2bua_auth_bans", "b2bua_media_timeouts", "b2bua_media_one_way", "b2bua_media_ports_exhausted", "b2bua_sip_requests_rejected" })
        {
            _meter.CreateCounter<long>(name, description: "A counter without labels.").Add(7);
        }

        foreach (var name in new[] { "b2bua_calls_active", "b2bua_registrations_active", "b2bua_media_sessions_active", "b2bua_media_ports_free" })
        {
            _meter.CreateObservableGauge(name, () => 250L, description: "A gauge without labels.");
        }

        _meter.CreateObservableCounter("b2bua_rtp_packets_relayed", () => 123456789L, description: "RTP packets relayed.");
        _meter.CreateObservableCounter("b2bua_rtp_bytes_relayed", () => 98765432100L, "By", "RTP bytes relayed.");
        _meter.CreateObservableCounter("b2bua_rtp_dropped", () => new[] { new Measurement<long>(3, Tag("reason", "not_rtp")), new Measurement<long>(5, Tag("reason", "foreign_source")) }, description: "RTP dropped.");
        var received = _meter.CreateCounter<long>("b2bua_transport_messages_received", "{message}", "SIP messages received");
        received.Add(100000, Tag("protocol", "udp"));
        received.Add(100000, Tag("protocol", "tcp"));
        _meter.CreateUpDownCounter<long>("b2bua_transport_connections_open", "{connection}", "Open stream connections").Add(40, Tag("protocol", "tcp"));

        Console.WriteLine($"// exposition: {Scrape()} bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        _meter.Dispose();
    }

    [Benchmark]
    public int Scrape() => _exporter.Scrape(TimeSpan.FromSeconds(10))!.Length;

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
