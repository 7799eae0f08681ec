using FeatureB2bua.Observability;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace FeatureB2bua.Hosting;

internal static class MetricsServiceCollectionExtensions
{
    /// <summary>Every meter of ours; the SDK listens by name across the process.</summary>
    public const string Meters = "FeatureB2bua.*";

    /// <summary>
    /// An OpenTelemetry MeterProvider over our meters, read by <c>/metrics</c> on each scrape and, when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, pushed by OTLP as well; both cumulative, as Prometheus expects.
    /// The OTLP exporter takes its <c>OTEL_*</c> settings from our configuration, so they work on the command line too.
    /// </summary>
    public static IServiceCollection AddMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PrometheusPullExporter>();
        services.AddSingleton(sp =>
        {
            var builder = Sdk.CreateMeterProviderBuilder()
                .ConfigureServices(s => s.AddSingleton(configuration))
                .AddMeter(Meters)
                .AddReader(new BaseExportingMetricReader(sp.GetRequiredService<PrometheusPullExporter>())
                {
                    TemporalityPreference = MetricReaderTemporalityPreference.Cumulative,
                });
            if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                builder.AddOtlpExporter((_, reader) => reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative);
            }

            return builder.Build();
        });
        return services;
    }
}
