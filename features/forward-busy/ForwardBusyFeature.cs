using FeatureB2bua.Core.Features;
using FeatureB2bua.Core.Routing;

namespace FeatureB2bua.Features.ForwardBusy;

/// <summary>
/// A subscriber with <c>forwardBusy</c> who is busy (486 Busy Here or 600 Busy Everywhere from every phone, or busy
/// before being rung) has the call sent on to that target; the caller's dialog stays as it is and hears the target.
/// </summary>
public sealed class ForwardBusyFeature(LocalDomain domain) : ICallFeature
{
    public string Name => "forward-busy";

    public ValueTask<FeatureDecision> OnBranchFailedAsync(FeatureContext call, int status, CancellationToken cancellationToken) =>
        ValueTask.FromResult(status is 486 or 600 && ForwardTarget.TryParse(call.TargetSubscriber?.Features.ForwardBusy, domain.Name, out var target)
            ? FeatureDecision.Retarget(target, ForwardReason.UserBusy)
            : FeatureDecision.Continue);
}
