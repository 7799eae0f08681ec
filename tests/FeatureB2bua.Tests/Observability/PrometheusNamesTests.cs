using FeatureB2bua.Observability;

namespace FeatureB2bua.Tests.Observability;

public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("b2bua_calls", null, PrometheusType.Counter, "b2bua_calls_total")]
    [InlineData("b2bua_calls_total", null, PrometheusType.Counter, "b2bua_calls_total")]
    [InlineData("b2bua_calls_active", null, PrometheusType.Gauge, "b2bua_calls_active")]
    [InlineData("b2bua_call_setup_seconds", "s", PrometheusType.Histogram, "b2bua_call_setup_seconds")]
    [InlineData("call.setup", "ms", PrometheusType.Histogram, "call_setup_milliseconds")]
    [InlineData("b2bua_rtp_bytes_relayed", "By", PrometheusType.Counter, "b2bua_rtp_bytes_relayed_total")]
    [InlineData("b2bua_transport_messages_received", "{message}", PrometheusType.Counter, "b2bua_transport_messages_received_total")]
    [InlineData("usage", "1", PrometheusType.Gauge, "usage_ratio")]
    [InlineData("hits", "1", PrometheusType.Counter, "hits_total")]
    [InlineData("rate", "{packet}/s", PrometheusType.Gauge, "rate_per_second")]
    [InlineData("a:b.c", null, PrometheusType.Gauge, "a:b_c")]
    [InlineData("9lives", null, PrometheusType.Gauge, "_9lives")]
    [InlineData("a..b--c", null, PrometheusType.Gauge, "a_b_c")]
    public void Metric(string instrument, string? unit, PrometheusType type, string expected) =>
        Assert.Equal(expected, PrometheusNames.Metric(instrument, unit, type));

    [Theory]
    [InlineData("method", "method")]
    [InlineData("code.class", "code_class")]
    [InlineData("a:b", "a_b")]
    [InlineData("1st", "_1st")]
    [InlineData("", "_")]
    public void Label(string key, string expected) => Assert.Equal(expected, PrometheusNames.Label(key));

    [Fact]
    public void ValidLabel_IsTheSameString() => Assert.Same("result", PrometheusNames.Label("result"));
}
