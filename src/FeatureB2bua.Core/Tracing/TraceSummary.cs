namespace FeatureB2bua.Core.Tracing;

/// <summary>A traced call in the list: <see cref="EndedAt"/> and <see cref="Result"/> are null while it is in progress; <see cref="Messages"/> counts every message seen, kept or not.</summary>
public sealed record TraceSummary(string CallId, string Caller, string Dialled, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Result, long Messages);
