using System.Text.RegularExpressions;

namespace FeatureB2bua.Tests.Operations;

/// <summary>
/// The metric names a PromQL expression selects (https://prometheus.io/docs/prometheus/latest/querying/basics/):
/// string literals, label matchers <c>{...}</c>, ranges <c>[...]</c> and grouping clauses (<c>by (...)</c>,
/// <c>on (...)</c>, ...) are taken out; what is left that looks like a name and is neither a function or
/// aggregation (a name before a parenthesis) nor a keyword is a metric name.
/// </summary>
internal static partial class PromQlMetricNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "inf", "nan",
    };

    public static IReadOnlySet<string> Extract(string expr)
    {
        var bare = StringLiteral().Replace(expr, " ");
        bare = Grouping().Replace(bare, " ");
        bare = Braces().Replace(bare, " ");
        bare = Brackets().Replace(bare, " ");
        return Identifier().Matches(bare)
            .Where(m => !m.Groups["call"].Success && !Keywords.Contains(m.Groups["name"].Value))
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    /// <summary>A name not inside a number or a variable (<c>$x</c>), with a parenthesis after it when it is a call.</summary>
    [GeneratedRegex(@"(?<![\w.$:])(?<name>[A-Za-z_:][A-Za-z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
