namespace FeatureB2bua.Observability;

/// <summary>The metric types of the text format that OpenTelemetry's instruments map to.</summary>
public enum PrometheusType
{
    Counter,
    Gauge,
    Histogram,
}
