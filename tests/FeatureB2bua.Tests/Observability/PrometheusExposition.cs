using System.Globalization;
using System.Text;

namespace FeatureB2bua.Tests.Observability;

/// <summary>
/// Our own reader of Prometheus text format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/),
/// strict where Prometheus is and where our conventions say more: <see cref="Parse"/> throws <see cref="FormatException"/>
/// naming the line unless every sample belongs to the family whose TYPE came last, no name has two TYPE or HELP lines,
/// no series repeats, label values use only the three escapes, counters end in <c>_total</c> and are not negative,
/// and each histogram's buckets rise with <c>le</c>, end in <c>+Inf</c>, and have <c>_count</c> equal to it and a <c>_sum</c>.
/// </summary>
internal sealed class PrometheusExposition
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    private PrometheusExposition(Dictionary<string, Family> families) => Families = families;

    public IReadOnlyDictionary<string, Family> Families { get; }

    /// <summary>The value of the one sample with this name and exactly these labels, or null.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels)
    {
        var wanted = Key(name, labels.ToDictionary(l => l.Name, l => l.Value));
        return Families.Values.SelectMany(f => f.Samples).FirstOrDefault(s => Key(s.Name, s.Labels) == wanted)?.Value;
    }

    public static PrometheusExposition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the exposition does not end in a newline: cut short?");
        }

        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var helps = new Dictionary<string, string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        Family? current = null;
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length - 1; n++)
        {
            var line = lines[n];
            try
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
                {
                    var rest = line[7..];
                    var space = rest.IndexOf(' ', StringComparison.Ordinal);
                    var name = space < 0 ? rest : rest[..space];
                    var value = space < 0 ? "" : rest[(space + 1)..];
                    Require(IsMetricName(name), $"bad metric name '{name}'");
                    if (line[2] == 'H')
                    {
                        Require(helps.TryAdd(name, Unescape(value, quotes: false)), $"second HELP for {name}");
                        continue;
                    }

                    Require(Types.Contains(value), $"unknown type '{value}'");
                    Require(!families.ContainsKey(name), $"second TYPE for {name}");
                    current = new Family(name, value);
                    families[name] = current;
                    continue;
                }

                if (line.StartsWith('#'))
                {
                    continue;
                }

                var sample = ParseSample(line);
                Require(current is not null && current.Owns(sample.Name), $"sample {sample.Name} outside its family's block (TYPE of the last family: {current?.Name})");
                Require(series.Add(Key(sample.Name, sample.Labels)), "the same series twice");
                Require(sample.Labels.ContainsKey("le") == (current!.Type == "histogram" && sample.Name.EndsWith("_bucket", StringComparison.Ordinal)), "le where it does not belong, or missing");
                if (current.Type == "counter")
                {
                    Require(current.Name.EndsWith("_total", StringComparison.Ordinal), "counter without _total");
                    Require(sample.Value >= 0, "negative or NaN counter");
                }

                current.Samples.Add(sample);
            }
            catch (FormatException e)
            {
                throw new FormatException($"line {n + 1} '{line}': {e.Message}", e);
            }
        }

        foreach (var (name, help) in helps)
        {
            Require(families.TryGetValue(name, out var family), $"HELP for {name}, which has no TYPE");
            family!.Help = help;
        }

        foreach (var histogram in families.Values.Where(f => f.Type == "histogram"))
        {
            CheckHistogram(histogram);
        }

        return new PrometheusExposition(families);
    }

    private static void CheckHistogram(Family family)
    {
        foreach (var group in family.Samples.GroupBy(s => Key("", s.Labels.Where(l => l.Key != "le").ToDictionary())))
        {
            var buckets = group.Where(s => s.Name == family.Name + "_bucket").ToList();
            var count = group.SingleOrDefault(s => s.Name == family.Name + "_count");
            Require(buckets.Count > 0 && count is not null && group.Any(s => s.Name == family.Name + "_sum"), $"{family.Name}{group.Key}: buckets, _sum or _count missing");
            var bounds = buckets.Select(b => ParseValue(b.Labels["le"])).ToList();
            for (var i = 1; i < buckets.Count; i++)
            {
                Require(bounds[i] > bounds[i - 1], $"{family.Name}: le not rising");
                Require(buckets[i].Value >= buckets[i - 1].Value, $"{family.Name}: buckets not cumulative");
            }

            Require(double.IsPositiveInfinity(bounds[^1]) && buckets[^1].Labels["le"] == "+Inf", $"{family.Name}: last bucket not +Inf");
            Require(count!.Value == buckets[^1].Value, $"{family.Name}: _count {count.Value} is not the +Inf bucket {buckets[^1].Value}");
        }
    }

    private static Sample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        var name = line[..i];
        Require(IsMetricName(name), $"bad metric name '{name}'");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                Require(eq > i, "label without =");
                var label = line[i..eq];
                Require(IsLabelName(label), $"bad label name '{label}'");
                Require(line[eq + 1] == '"', "label value not quoted");
                var value = new StringBuilder();
                var j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    value.Append(line[j]);
                    if (line[j] == '\\')
                    {
                        value.Append(line[++j]);
                    }
                }

                Require(labels.TryAdd(label, Unescape(value.ToString(), quotes: true)), $"label {label} twice");
                i = j + 1;
                if (line[i] == ',')
                {
                    i++;
                }
                else
                {
                    Require(line[i] == '}', "labels not separated by commas");
                }
            }

            i++;
        }

        Require(i < line.Length && line[i] == ' ', "no value");
        var parts = line[(i + 1)..].Split(' ');
        Require(parts.Length is 1 or 2, "more than a value and a timestamp");
        if (parts.Length == 2)
        {
            Require(long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _), "bad timestamp");
        }

        return new Sample(name, labels, ParseValue(parts[0]));
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"bad value '{text}'"),
    };

    /// <summary>HELP knows <c>\\</c> and <c>\n</c>, label values <c>\"</c> too; any other backslash is an error.</summary>
    private static string Unescape(string text, bool quotes)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                Require(!(quotes && text[i] == '"'), "unescaped double quote");
                result.Append(text[i]);
                continue;
            }

            Require(i + 1 < text.Length, "backslash at the end");
            result.Append(text[++i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when quotes => '"',
                var c => throw new FormatException($"unknown escape \\{c}"),
            });
        }

        return result.ToString();
    }

    private static bool IsMetricName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static bool IsLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Key(string name, IReadOnlyDictionary<string, string> labels) =>
        name + "{" + string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value.Length}:{l.Value}")) + "}";

    private static void Require(bool condition, string why)
    {
        if (!condition)
        {
            throw new FormatException(why);
        }
    }

    internal sealed class Family(string name, string type)
    {
        public string Name { get; } = name;

        public string Type { get; } = type;

        public string? Help { get; set; }

        public List<Sample> Samples { get; } = [];

        public bool Owns(string sample) => Type == "histogram"
            ? sample == Name + "_bucket" || sample == Name + "_sum" || sample == Name + "_count"
            : sample == Name;
    }

    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
