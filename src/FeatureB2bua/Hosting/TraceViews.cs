using System.Text.Json.Serialization;
using FeatureB2bua.Core.Tracing;

namespace FeatureB2bua.Hosting;

/// <summary>A traced call in <c>GET /api/traces</c>; times in UTC.</summary>
internal sealed record TraceListItem(string CallId, string Caller, string Dialled, DateTime StartedAt, DateTime? EndedAt, string? Result, long Messages)
{
    public static TraceListItem From(TraceSummary s) => new(s.CallId, s.Caller, s.Dialled, s.StartedAt.UtcDateTime, s.EndedAt?.UtcDateTime, s.Result, s.Messages);
}

/// <summary>One call's ladder in <c>GET /api/calls/{callId}/trace</c>: its legs as columns and its messages in order, with offsets from the first.</summary>
internal sealed record TraceView(string CallId, IReadOnlyList<TraceLeg> Legs, IReadOnlyList<TraceMessageView> Messages)
{
    public static TraceView From(CallTraceView trace)
    {
        var first = trace.Messages.Count > 0 ? trace.Messages[0].At : trace.Summary.StartedAt;
        return new(trace.Summary.CallId, trace.Legs, [.. trace.Messages.Select(m => new TraceMessageView(
            m.Seq, m.At.UtcDateTime, (m.At - first).TotalMilliseconds, m.Leg, m.Direction, m.Transport, m.Local, m.Remote, m.Label, m.CSeq, m.Text))]);
    }
}

/// <summary>One message of <see cref="TraceView"/>; <c>cseq</c> is spelt as the console contract has it, not camel-cased to <c>cSeq</c>.</summary>
internal sealed record TraceMessageView(
    long Seq, DateTime At, double OffsetMs, string Leg, string Direction, string Transport, string Local, string Remote, string Label, [property: JsonPropertyName("cseq")] string CSeq, string Text);
