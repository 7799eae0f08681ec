using System.Globalization;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>Reads cumulative counters from the last row of a SIPp -trace_stat CSV.</summary>
public static class SippStats
{
    public static (long Successful, long Failed) Totals(string csvPath) => (Read(csvPath, "SuccessfulCall(C)"), Read(csvPath, "FailedCall(C)"));

    /// <summary>One cumulative column, such as "OutOfCallMsgs(C)"; 0 when SIPp wrote no statistics.</summary>
    public static long Read(string csvPath, string column)
    {
        if (!File.Exists(csvPath))
        {
            return 0;
        }

        var lines = File.ReadAllLines(csvPath).Where(l => l.Length > 0).ToArray();
        if (lines.Length < 2)
        {
            return 0;
        }

        var header = lines[0].Split(';');
        var last = lines[^1].Split(';');
        var index = Array.IndexOf(header, column);
        if (index < 0 || index >= last.Length)
        {
            // A counter that silently read 0 would make every check on it pass.
            throw new InvalidOperationException($"{csvPath} has no column {column}: {lines[0]}");
        }

        return long.Parse(last[index], CultureInfo.InvariantCulture);
    }
}
