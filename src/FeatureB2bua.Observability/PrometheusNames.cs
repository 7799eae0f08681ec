namespace FeatureB2bua.Observability;

/// <summary>
/// Instrument and tag names as Prometheus takes them: metric names match <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, label names
/// <c>[a-zA-Z_][a-zA-Z0-9_]*</c> (text format 0.0.4, https://prometheus.io/docs/instrumenting/exposition_formats/),
/// and units and <c>_total</c> are added as the OpenTelemetry Prometheus compatibility specification says
/// (https://opentelemetry.io/docs/specs/otel/compatibility/prometheus_and_openmetrics/).
/// </summary>
public static class PrometheusNames
{
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days", ["h"] = "hours", ["min"] = "minutes", ["s"] = "seconds", ["ms"] = "milliseconds", ["us"] = "microseconds", ["ns"] = "nanoseconds",
        ["By"] = "bytes", ["KiBy"] = "kibibytes", ["MiBy"] = "mebibytes", ["GiBy"] = "gibibytes", ["KBy"] = "kilobytes", ["MBy"] = "megabytes", ["GBy"] = "gigabytes",
        ["bit"] = "bits", ["Hz"] = "hertz", ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second", ["min"] = "minute", ["h"] = "hour", ["d"] = "day", ["w"] = "week", ["mo"] = "month", ["y"] = "year",
    };

    /// <summary>
    /// The family name of an instrument: sanitized, its unit appended unless the name already has that word (ours
    /// say <c>b2bua_call_setup_seconds</c> and <c>b2bua_rtp_bytes_relayed</c>), and <c>_total</c> for counters.
    /// </summary>
    public static string Metric(string instrumentName, string? unit, PrometheusType type)
    {
        ArgumentNullException.ThrowIfNull(instrumentName);
        var name = Sanitize(instrumentName, allowColon: true);
        var suffix = UnitSuffix(unit, type);
        if (suffix.Length > 0 && !HasWord(name, suffix))
        {
            name += "_" + suffix;
        }

        return type == PrometheusType.Counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>A tag key as a label name; valid keys come back as they are, without allocating.</summary>
    public static string Label(string key) => Sanitize(key, allowColon: false);

    /// <summary>UCUM unit to the word Prometheus uses: annotations (<c>{call}</c>) say nothing, <c>1</c> is a ratio on gauges only.</summary>
    internal static string UnitSuffix(string? unit, PrometheusType type)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return "";
        }

        var plain = StripAnnotations(unit);
        if (plain.Length == 0)
        {
            return "";
        }

        if (plain == "1")
        {
            return type == PrometheusType.Gauge ? "ratio" : "";
        }

        var slash = plain.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return Sanitize(Units.GetValueOrDefault(plain, plain), allowColon: false).Trim('_');
        }

        var (over, per) = (plain[..slash], plain[(slash + 1)..]);
        var word = (Units.GetValueOrDefault(over, over) is { Length: > 0 } o ? o + "_" : "") + "per_" + PerUnits.GetValueOrDefault(per, per);
        return Sanitize(word, allowColon: false).Trim('_');
    }

    /// <summary>Every character outside the allowed set becomes <c>_</c>, runs of <c>_</c> one, and a leading digit gets <c>_</c> before it.</summary>
    internal static string Sanitize(string name, bool allowColon)
    {
        if (IsValid(name, allowColon))
        {
            return name;
        }

        var result = new System.Text.StringBuilder(name.Length + 1);
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            result.Append('_');
        }

        foreach (var c in name)
        {
            var keep = char.IsAsciiLetterOrDigit(c) || (allowColon && c == ':');
            if (keep)
            {
                result.Append(c);
            }
            else if (result.Length == 0 || result[^1] != '_')
            {
                result.Append('_');
            }
        }

        return result.ToString();
    }

    private static bool IsValid(string name, bool allowColon)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_' ? i > 0 && name[i - 1] == '_' : !(char.IsAsciiLetterOrDigit(c) || (allowColon && c == ':')))
            {
                return false;
            }
        }

        return true;
    }

    private static string StripAnnotations(string unit)
    {
        var open = unit.IndexOf('{', StringComparison.Ordinal);
        while (open >= 0)
        {
            var close = unit.IndexOf('}', open);
            unit = close < 0 ? unit[..open] : unit[..open] + unit[(close + 1)..];
            open = unit.IndexOf('{', StringComparison.Ordinal);
        }

        return unit.Trim();
    }

    private static bool HasWord(string name, string word) =>
        name == word
        || name.EndsWith("_" + word, StringComparison.Ordinal)
        || name.StartsWith(word + "_", StringComparison.Ordinal)
        || name.Contains("_" + word + "_", StringComparison.Ordinal);
}
