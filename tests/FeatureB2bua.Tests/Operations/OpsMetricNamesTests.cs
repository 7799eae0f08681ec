using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Observability;

namespace FeatureB2bua.Tests.Operations;

/// <summary>
/// Every metric the Grafana dashboard and the alert rules query is one the real server exports, once a REGISTER and
/// an answered call have gone through it (the series of labelled counters appear with their first event).
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class OpsMetricNamesTests
{
    [Fact]
    public async Task Dashboard_EveryPanelQueriesMetrics_TheServerExports()
    {
        var queries = OpsFiles.DashboardQueries();
        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.True(PromQlMetricNames.Extract(q.Expr).Count > 0, $"panel '{q.Panel}' queries no metric: {q.Expr}"));

        var exposition = await ScrapeAfterTrafficAsync();

        AssertNoneMissing(queries.SelectMany(q => OperationsTraffic.Missing(exposition, PromQlMetricNames.Extract(q.Expr)).Select(name => $"{q.Panel}: {name}")));
    }

    [Fact]
    public async Task Alerts_EveryRuleQueriesMetrics_TheServerExports()
    {
        var rules = OpsFiles.AlertExpressions();
        Assert.All(rules, r => Assert.True(PromQlMetricNames.Extract(r.Expr).Count > 0, $"alert {r.Alert} queries no metric: {r.Expr}"));

        var exposition = await ScrapeAfterTrafficAsync();

        AssertNoneMissing(rules.SelectMany(r => OperationsTraffic.Missing(exposition, PromQlMetricNames.Extract(r.Expr)).Select(name => $"{r.Alert}: {name}")));
    }

    private static void AssertNoneMissing(IEnumerable<string> missing)
    {
        var list = missing.ToList();
        Assert.True(list.Count == 0, "not in /metrics: " + string.Join("; ", list));
    }

    private static async Task<PrometheusExposition> ScrapeAfterTrafficAsync()
    {
        await using var h = await CallHarness.StartAsync();
        await OperationsTraffic.RegisterAsync(h);
        await h.AnswerAndHangUpAsync();
        return await OperationsTraffic.ScrapeAsync(h);
    }
}
