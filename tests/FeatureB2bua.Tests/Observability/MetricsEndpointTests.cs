using System.Net;
using System.Net.Sockets;
using System.Text;
using FeatureB2bua.Tests.Calls;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace FeatureB2bua.Tests.Observability;

/// <summary>
/// The MeterProvider listens to our meters by name across the process, so a server's exposition would count the
/// calls of servers that other tests run beside it: these tests run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics, alone in the process";
}

/// <summary><c>GET /metrics</c> on the server's HTTP listener, after a call through it.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests
{
    /// <summary>DESIGN.md §6, "Metrics (Prometheus names, at least)".</summary>
    private static readonly string[] DesignMetrics =
    [
        "b2bua_calls_total", "b2bua_calls_active", "b2bua_call_setup_seconds", "b2bua_registrations_active", "b2bua_register_total",
        "b2bua_auth_failures_total", "b2bua_sip_requests_total", "b2bua_sip_responses_total", "b2bua_sip_retransmissions_total",
        "b2bua_media_sessions_active", "b2bua_rtp_packets_relayed_total", "b2bua_features_applied_total", "b2bua_upstream_up",
    ];

    [Fact]
    public async Task AfterOneCall_EveryDesignMetric_InAValidExposition()
    {
        await using var h = await CallHarness.StartAsync();
        await h.AnswerAndHangUpAsync();

        using var response = await h.Server.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("\nb2bua_calls_total{answered=\"true\",result=\"answered\"} 1\n", text, StringComparison.Ordinal);
        var exposition = PrometheusExposition.Parse(text);
        Assert.Empty(DesignMetrics.Except(exposition.Families.Keys));
        Assert.Equal("histogram", exposition.Families["b2bua_call_setup_seconds"].Type);
        Assert.Equal(1, exposition.Value("b2bua_call_setup_seconds_count"));
        Assert.Equal(0, exposition.Value("b2bua_calls_active"));
        Assert.Equal(1, exposition.Value("b2bua_sip_requests_total", ("method", "INVITE")));
        Assert.Equal(0, exposition.Value("b2bua_sip_retransmissions_total"));
        Assert.Equal(0, exposition.Value("b2bua_register_total", ("result", "registered")));
        Assert.Equal(0, exposition.Value("b2bua_features_applied_total", ("feature", "busy")));
        Assert.Equal(1, exposition.Value("b2bua_upstream_up", ("target", $"sip:127.0.0.1:{h.Callee.LocalEndPoint.Port}")));
        Assert.Contains(exposition.Families["b2bua_sip_responses_total"].Samples, s => s.Labels["code_class"] == "2xx");
    }

    [Fact]
    public async Task ConcurrentScrapes_EachComplete()
    {
        await using var h = await CallHarness.StartAsync();

        var texts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => h.Server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative))));

        Assert.All(texts, text => Assert.Contains("b2bua_calls_active", PrometheusExposition.Parse(text).Families.Keys));
    }

    /// <summary>With an OTLP endpoint configured the metrics are pushed there too (HTTP/protobuf to a loopback listener here).</summary>
    [Fact]
    public async Task OtlpEndpointSet_MetricsArePushed()
    {
        using var collector = new TcpListener(IPAddress.Loopback, 0);
        collector.Start();
        await using var h = await CallHarness.StartAsync(
            $"--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:{((IPEndPoint)collector.LocalEndpoint).Port}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_METRIC_EXPORT_INTERVAL=200");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var connection = await collector.AcceptTcpClientAsync(timeout.Token);
        var buffer = new byte[256];
        var read = await connection.GetStream().ReadAsync(buffer, timeout.Token);

        Assert.StartsWith("POST /v1/metrics HTTP/1.1", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await h.Server.Http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);

        // Refused at once, the final push at shutdown does not wait out its timeout on a listener that never answers.
        collector.Stop();
    }

    /// <summary>Shutting down, the provider goes before the HTTP listener: a scrape then is refused whole.</summary>
    [Fact]
    public async Task ProviderGone_Scrape_Is503()
    {
        await using var h = await CallHarness.StartAsync();
        h.Server.Services.GetRequiredService<MeterProvider>().Dispose();

        using var response = await h.Server.Http.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
