namespace FeatureB2bua.Tests.Operations;

/// <summary>The extraction the dashboard and alert checks rely on: a name it missed would go unchecked.</summary>
public sealed class PromQlMetricNamesTests
{
    [Theory]
    [InlineData("up{job=\"featureb2bua\"} == 0", "up")]
    [InlineData("histogram_quantile(0.9, sum by (le) (rate(b2bua_call_setup_seconds_bucket{instance=~\"$instance\"}[$__rate_interval])))", "b2bua_call_setup_seconds_bucket")]
    [InlineData("1 - (sum(increase(a_total{result=~\"busy|failed (x)\"}[15m])) or vector(0)) / sum(increase(b_total[15m]))", "a_total b_total")]
    [InlineData("sum by (instance) (x) / on (instance) group_left (target) y offset 5m > bool 1e3", "x y")]
    [InlineData("rate(b2bua_auth_failures_total[5m]) > 0.2 and c unless d", "b2bua_auth_failures_total c d")]
    [InlineData("sum without (le) (n:recorded:rate5m)", "n:recorded:rate5m")]
    public void Extract_NamesEveryMetric_AndNoFunctionLabelOrKeyword(string expr, string names) =>
        Assert.Equal(names.Split(' ').Order(), PromQlMetricNames.Extract(expr).Order());
}
