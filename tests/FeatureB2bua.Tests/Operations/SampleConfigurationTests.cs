using System.Net.Http.Json;
using System.Text.Json;
using FeatureB2bua.Tests.Infrastructure;
using FeatureB2bua.Tests.Observability;
using Microsoft.Extensions.Configuration;

namespace FeatureB2bua.Tests.Operations;

/// <summary>
/// ops/config/appsettings.Production.json, comments and all, read as .NET reads it and given to the real server:
/// it starts (its options validate) with the routes and port range the sample describes. Only what binds to the
/// network is moved to loopback, the probes are off so that nothing is sent to the sample's addresses, and the
/// log is kept to warnings as in every other test.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class SampleConfigurationTests
{
    [Fact]
    public async Task ProductionSample_Starts_WithTheTrunkRouteInFailoverOrder_AndItsPortRange()
    {
        var sample = new ConfigurationBuilder().AddJsonFile(Path.Combine(OpsFiles.Directory, "config", "appsettings.Production.json")).Build();
        string[] settings =
        [
            .. sample.AsEnumerable().Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}"),
            "--Sip:Listen:0=udp:127.0.0.1:0",
            "--Sip:Listen:1=tcp:127.0.0.1:0",
            "--urls=http://127.0.0.1:0",
            "--Routing:Probe:Interval=00:00:00",
            "--Logging:LogLevel:Default=Warning",
        ];

        await using var server = await ServerFixture.StartAsync(settings);

        var upstreams = await server.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/upstreams", UriKind.Relative));
        Assert.Equal(
            ["sip:192.0.2.10:5060", "sip:198.51.100.1:5060", "sip:198.51.100.2:5060"],
            upstreams.EnumerateArray().Select(u => u.GetProperty("upstream").GetString()));
        var exposition = PrometheusExposition.Parse(await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.Equal(10000, exposition.Value("b2bua_media_ports_total"));
    }
}
