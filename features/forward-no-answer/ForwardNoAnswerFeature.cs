using FeatureB2bua.Core.Features;
using FeatureB2bua.Core.Routing;

namespace FeatureB2bua.Features.ForwardNoAnswer;

/// <summary>
/// A subscriber with <c>forwardNoAnswer</c> rings for <c>noAnswerTimeoutSeconds</c>; then the call core cancels their
/// phones and the call goes to that target, the caller hearing 181 Call Is Being Forwarded meanwhile.
/// </summary>
public sealed class ForwardNoAnswerFeature(LocalDomain domain) : ICallFeature
{
    public string Name => "forward-no-answer";

    public TimeSpan? NoAnswerTimeout(FeatureContext call) =>
        call.TargetSubscriber is { } subscriber && ForwardTarget.TryParse(subscriber.Features.ForwardNoAnswer, domain.Name, out _)
            ? TimeSpan.FromSeconds(Math.Max(1, subscriber.Features.NoAnswerTimeoutSeconds))
            : null;

    public FeatureDecision OnNoAnswer(FeatureContext call) =>
        ForwardTarget.TryParse(call.TargetSubscriber?.Features.ForwardNoAnswer, domain.Name, out var target)
            ? FeatureDecision.Retarget(target, ForwardReason.NoAnswer)
            : FeatureDecision.Continue;
}
