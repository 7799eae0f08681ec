using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Core.Features;
using FeatureB2bua.Core.Routing;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Features.ForwardUnconditional;

/// <summary>
/// Calls to a subscriber with <c>forwardUnconditional</c> go straight to that target; the subscriber is never rung.
/// Callers that follow redirects themselves (the subscriber's <c>forwardByRedirect</c>, or a caller in
/// <c>Features:RedirectSources</c>) get 302 Moved Temporarily with the target in Contact instead, as a redirect
/// server answers (RFC 3261 §8.3).
/// </summary>
public sealed class ForwardUnconditionalFeature(LocalDomain domain, IOptions<FeatureOptions> options) : ICallFeature
{
    private readonly TrustedSources _redirectSources = new(options.Value.RedirectSources);

    public string Name => "forward-unconditional";

    public ValueTask<FeatureDecision> OnIncomingAsync(FeatureContext call, CancellationToken cancellationToken)
    {
        if (call.TargetSubscriber is not { } subscriber || !ForwardTarget.TryParse(subscriber.Features.ForwardUnconditional, domain.Name, out var target))
        {
            return ValueTask.FromResult(FeatureDecision.Continue);
        }

        var redirect = subscriber.Features.ForwardByRedirect || (call.Source is { } source && _redirectSources.Contains(source));
        return ValueTask.FromResult(redirect
            ? FeatureDecision.Redirect(target, ForwardReason.Unconditional)
            : FeatureDecision.Retarget(target, ForwardReason.Unconditional));
    }
}
