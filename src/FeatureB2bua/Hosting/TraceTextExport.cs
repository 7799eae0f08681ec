using System.Globalization;
using System.Text;
using FeatureB2bua.Core.Tracing;

namespace FeatureB2bua.Hosting;

/// <summary>
/// <c>GET /api/calls/{callId}/trace.txt</c>, a call's trace as text to attach to a bug report: per message a line
/// <c>2026-12-02T07:30:00.123Z +0.000s A in UDP 127.0.0.1:5070 -> 127.0.0.1:5060</c> (sender first), the message
/// with its line ends as LF, and one blank line.
/// </summary>
internal static class TraceTextExport
{
    public static string Write(CallTraceView trace)
    {
        var text = new StringBuilder();
        var first = trace.Messages.Count > 0 ? trace.Messages[0].At : trace.Summary.StartedAt;
        foreach (var m in trace.Messages)
        {
            var (from, to) = m.Direction == "in" ? (m.Remote, m.Local) : (m.Local, m.Remote);
            text.Append(CultureInfo.InvariantCulture, $"{m.At.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} +{(m.At - first).TotalSeconds:0.000}s {m.Leg} {m.Direction} {m.Transport} {from} -> {to}\n");
            text.Append(m.Text.ReplaceLineEndings("\n").TrimEnd('\n')).Append("\n\n");
        }

        return text.ToString();
    }
}
