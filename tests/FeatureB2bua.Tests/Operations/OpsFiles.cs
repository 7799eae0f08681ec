using System.Text.Json;

namespace FeatureB2bua.Tests.Operations;

/// <summary>The files of ops/, copied beside the tests as they are in the repository (see the test project).</summary>
internal static class OpsFiles
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "ops");

    public static string PrometheusConfig => Path.Combine(Directory, "prometheus", "prometheus.yml");

    public static string Alerts => Path.Combine(Directory, "prometheus", "alerts.yml");

    public static string AlertTests => Path.Combine(Directory, "prometheus", "alerts.test.yml");

    public static string Dashboard => Path.Combine(Directory, "grafana", "dashboards", "featureb2bua.json");

    /// <summary>Every <c>expr</c> of the dashboard's panels, with the title of its panel.</summary>
    public static IReadOnlyList<(string Panel, string Expr)> DashboardQueries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Dashboard));
        return [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.GetProperty("type").GetString() != "row")
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray()
                .Select(target => (panel.GetProperty("title").GetString()!, target.GetProperty("expr").GetString()!)))];
    }

    /// <summary>
    /// The <c>expr</c> of every rule of alerts.yml, read line by line: a plain one-line value, or a literal block
    /// (<c>expr: |</c>) whose lines are indented deeper than the key. Throws unless there is one per <c>- alert:</c>,
    /// so a form this reader does not know cannot make rules disappear from the check.
    /// </summary>
    public static IReadOnlyList<(string Alert, string Expr)> AlertExpressions()
    {
        var lines = File.ReadAllLines(Alerts);
        var alerts = new List<(string, string)>();
        string? alert = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart();
            if (line.StartsWith("- alert:", StringComparison.Ordinal))
            {
                alert = line["- alert:".Length..].Trim();
                continue;
            }

            if (!line.StartsWith("expr:", StringComparison.Ordinal) || alert is null)
            {
                continue;
            }

            var value = line["expr:".Length..].Trim();
            if (value == "|")
            {
                var indent = lines[i].Length - line.Length;
                var block = new List<string>();
                while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent))
                {
                    block.Add(lines[++i].Trim());
                }

                value = string.Join('\n', block).Trim();
            }

            alerts.Add((alert, value));
            alert = null;
        }

        var declared = lines.Count(l => l.TrimStart().StartsWith("- alert:", StringComparison.Ordinal));
        return alerts.Count == declared && declared > 0
            ? alerts
            : throw new InvalidDataException($"alerts.yml declares {declared} alerts but {alerts.Count} expressions were read");
    }
}
