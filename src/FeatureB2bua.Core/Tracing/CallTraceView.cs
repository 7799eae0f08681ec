namespace FeatureB2bua.Core.Tracing;

/// <summary>A copy of one call's trace for a reader: its legs in the order they started, the kept messages in the order the B2BUA saw them.</summary>
public sealed record CallTraceView(TraceSummary Summary, IReadOnlyList<TraceLeg> Legs, IReadOnlyList<TracedMessage> Messages);
