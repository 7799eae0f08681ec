using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Operations;

/// <summary>promtool (Debian package prometheus) on the shipped Prometheus files: they load, and every alert fires when it should and only then.</summary>
public sealed class PromtoolTests
{
    [RequiresPeerFact("promtool", "prometheus")]
    public Task CheckConfig_PrometheusYml_IsValid_AndItsRuleFileLoads() => AssertPromtoolAsync("check", "config", OpsFiles.PrometheusConfig);

    [RequiresPeerFact("promtool", "prometheus")]
    public Task CheckRules_AlertsYml_IsValid() => AssertPromtoolAsync("check", "rules", OpsFiles.Alerts);

    [RequiresPeerFact("promtool", "prometheus")]
    public Task TestRules_EachAlert_FiresOnItsSyntheticSeries_AndNotOnTheHealthyOne() => AssertPromtoolAsync("test", "rules", OpsFiles.AlertTests);

    private static async Task AssertPromtoolAsync(params string[] arguments)
    {
        var (exitCode, output) = await PeerProgram.RunAsync("promtool", arguments, Path.GetDirectoryName(arguments[^1])!, TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"promtool {string.Join(' ', arguments)} exited {exitCode}:\n{output}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }
}
