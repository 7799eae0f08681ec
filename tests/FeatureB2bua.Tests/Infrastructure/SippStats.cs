using System.Globalization;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>Reads the cumulative successful and failed call counts from the last row of a SIPp -trace_stat CSV.</summary>
public static class SippStats
{
    public static (long Successful, long Failed) Totals(string csvPath)
    {
        if (!File.Exists(csvPath))
        {
            return (0, 0);
        }

        var lines = File.ReadAllLines(csvPath).Where(l => l.Length > 0).ToArray();
        if (lines.Length < 2)
        {
            return (0, 0);
        }

        var header = lines[0].Split(';');
        var last = lines[^1].Split(';');
        return (Read("SuccessfulCall(C)"), Read("FailedCall(C)"));

        long Read(string column)
        {
            var index = Array.IndexOf(header, column);
            return index >= 0 && index < last.Length ? long.Parse(last[index], CultureInfo.InvariantCulture) : 0;
        }
    }
}
