using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Features;

namespace FeatureB2bua.Features.Busy;

/// <summary>
/// A subscriber who set <c>busyWhenInCall</c> and is already in a call is busy without being rung: the call takes
/// the course of a 486 from their phone (forwarding on busy may still apply). A 486 or 600 from the phone itself
/// needs nothing of this module: the call core relays it (RFC 3261 §16.7).
/// </summary>
public sealed class BusyFeature(CallPresence presence) : ICallFeature
{
    public string Name => "busy";

    public ValueTask<FeatureDecision> OnIncomingAsync(FeatureContext call, CancellationToken cancellationToken) =>
        ValueTask.FromResult(call.TargetSubscriber is { Features.BusyWhenInCall: true } subscriber && presence.IsInCall(subscriber.User)
            ? FeatureDecision.Reject(486, "Busy Here")
            : FeatureDecision.Continue);
}
