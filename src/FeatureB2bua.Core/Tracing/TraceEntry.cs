using System.Net;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Tracing;

/// <summary>
/// One entry of the trace queue, as the hot path leaves it: a message's bytes in a pooled buffer with where it went
/// and when, or a call event (<see cref="CallId"/> the A-leg's; <see cref="First"/> and <see cref="Second"/> its
/// details: caller and dialled, the B-leg's Call-ID and target, or the result).
/// </summary>
public readonly record struct TraceEntry(
    TraceEntryKind Kind,
    DateTimeOffset At,
    byte[]? Buffer = null,
    int Length = 0,
    TransportProtocol Protocol = TransportProtocol.Udp,
    IPEndPoint? Local = null,
    IPEndPoint? Remote = null,
    string? CallId = null,
    string? First = null,
    string? Second = null,
    bool Forwarded = false)
{
    public bool IsMessage => Kind is TraceEntryKind.Received or TraceEntryKind.Sent;

    public ReadOnlySpan<byte> Message => Buffer.AsSpan(0, Length);
}
