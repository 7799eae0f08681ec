using System.Net;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Core.Features;

/// <summary>
/// What a feature may know of a call: who calls (and, when the caller is one of our subscribers, their settings),
/// whom they dialled, where the call goes now and that target's subscriber, where the caller's INVITE came from,
/// and how often the call was forwarded so far (here and, by the Diversion counters it arrived with, before).
/// </summary>
public sealed record FeatureContext(SipUri Caller, SipUri Dialled, SipUri Target, int Retargets)
{
    public Subscriber? CallerSubscriber { get; init; }

    public Subscriber? TargetSubscriber { get; init; }

    public IPAddress? Source { get; init; }

    /// <summary>The caller's Reason header (RFC 3326), on the cancel decision point.</summary>
    public string? CallerReason { get; init; }
}
