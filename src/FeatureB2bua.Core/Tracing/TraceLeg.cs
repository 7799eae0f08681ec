namespace FeatureB2bua.Core.Tracing;

/// <summary>One column of a call's ladder: the A-leg, or a B-leg (each fork, failover or forward its own, B1, B2, ...); <see cref="Peer"/> is where its first message came from or went.</summary>
public sealed record TraceLeg(string Id, string Label, string CallId, string? Peer, string? Target);
