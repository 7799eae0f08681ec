using System.Globalization;
using System.Text.Json;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Observability;

namespace FeatureB2bua.Tests.Operations;

/// <summary>
/// The shipped ops/prometheus/prometheus.yml, with only its target and scrape interval changed, run by a real
/// Prometheus against the real server: the target is up, the calls placed show in b2bua_calls_total, every
/// dashboard query has data and every alert rule evaluates without error.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class PrometheusScrapeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    [Infrastructure.RequiresPeerFact("prometheus", "prometheus")]
    public async Task ShippedConfig_ScrapesTheServer_SeesCallsIncrease_DashboardHasData_RulesEvaluate()
    {
        await using var h = await CallHarness.StartAsync();
        await OperationsTraffic.RegisterAsync(h);
        await h.AnswerAndHangUpAsync();
        using var prometheus = PrometheusPeer.Start(ConfigFor(h.Server.Http.BaseAddress!.Authority), OpsFiles.Alerts);
        var deadline = DateTime.UtcNow + Bound;

        await UntilAsync(prometheus, deadline, "the target is up", async () => await ValueAsync(prometheus, "up{job=\"featureb2bua\"}") == 1);
        double? before = null;
        await UntilAsync(prometheus, deadline, "the answered call is scraped", async () => (before = await ValueAsync(prometheus, "sum(b2bua_calls_total)")) >= 1);
        await OperationsTraffic.UnroutableCallAsync(h, 1);
        await OperationsTraffic.UnroutableCallAsync(h, 2);
        await UntilAsync(prometheus, deadline, $"b2bua_calls_total rises from {before} by the two calls placed since", async () => await ValueAsync(prometheus, "sum(b2bua_calls_total)") >= before + 2);

        var queries = OpsFiles.DashboardQueries().Select(q => q.Expr.Replace("$instance", ".*", StringComparison.Ordinal).Replace("$__rate_interval", "1m", StringComparison.Ordinal)).ToList();
        await UntilAsync(prometheus, deadline, "every dashboard query has data", async () =>
        {
            foreach (var query in queries)
            {
                if ((await prometheus.QueryAsync(query))?.Length is null or 0)
                {
                    return false;
                }
            }

            return true;
        });

        var alerts = OpsFiles.AlertExpressions().Select(a => a.Alert).Order().ToList();
        await UntilAsync(prometheus, deadline, "every rule of alerts.yml evaluated without error", async () =>
        {
            var rules = (await prometheus.GetAsync("rules"))?.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList() ?? [];
            Assert.All(rules, rule => Assert.True(rule.GetProperty("health").GetString() != "err", rule.ToString()));
            return rules.Select(r => r.GetProperty("name").GetString()).Order().SequenceEqual(alerts)
                && rules.All(r => r.GetProperty("health").GetString() == "ok");
        });
    }

    /// <summary>The shipped file with its target made the test server's HTTP listener and its scrape interval 1 s; the rest as shipped.</summary>
    private static string ConfigFor(string target)
    {
        var shipped = File.ReadAllText(OpsFiles.PrometheusConfig);
        return ReplaceOnce(ReplaceOnce(shipped, "- 127.0.0.1:9060", "- " + target), "scrape_interval: 15s", "scrape_interval: 1s");
    }

    private static string ReplaceOnce(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0 && text.IndexOf(from, at + 1, StringComparison.Ordinal) < 0, $"prometheus.yml no longer has exactly one '{from}'");
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }

    /// <summary>The value of a query answered by one sample, or null.</summary>
    private static async Task<double?> ValueAsync(PrometheusPeer prometheus, string promql) =>
        await prometheus.QueryAsync(promql) is [var sample]
            ? double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)
            : null;

    private static async Task UntilAsync(PrometheusPeer prometheus, DateTime deadline, string what, Func<Task<bool>> condition)
    {
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"after {Bound.TotalSeconds} s, not yet: {what}. Prometheus said:\n{prometheus.Log}");
            await Task.Delay(250);
        }
    }
}
