using FeatureB2bua.Observability;
using OpenTelemetry.Metrics;

namespace FeatureB2bua.Hosting;

/// <summary><c>GET /metrics</c>: the Prometheus text exposition (format 0.0.4) of the OpenTelemetry MeterProvider.</summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Under Prometheus's default scrape timeout of 10 s, so that it hears 503 rather than nothing.</summary>
    private static readonly TimeSpan CollectTimeout = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Starts the MeterProvider here, before the host starts, so that it listens before any meter of ours is made:
    /// counters that start at zero (a measurement at construction) would otherwise be missed.
    /// </summary>
    public static void MapMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<MeterProvider>();
        app.MapGet("/metrics", (IServiceProvider services) =>
        {
            byte[]? exposition;
            try
            {
                exposition = services.GetRequiredService<PrometheusPullExporter>().Scrape(CollectTimeout);
            }
            catch (ObjectDisposedException)
            {
                // Shutting down: the provider is gone.
                exposition = null;
            }

            // Results.Bytes sends Content-Length: a client can tell a cut connection from a complete exposition.
            return exposition is null ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Bytes(exposition, ContentType);
        });
    }
}
