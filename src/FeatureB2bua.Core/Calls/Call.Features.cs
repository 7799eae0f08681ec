using FeatureB2bua.Core.Features;
using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Where the feature chain meets the call: a new call before routing, and a search whose every branch failed
/// before the caller hears it. A retarget is a new search from the same A-leg (the Forwarding state); a call the
/// caller cancelled meanwhile is never forwarded; each applied feature goes into the CDR and the metrics.
/// </summary>
public sealed partial class Call
{
    private readonly List<string> _featuresApplied = [];

    /// <summary>The target to route to, or null when a feature refused the call (the caller has its answer).</summary>
    private async Task<SipUri?> AskOnIncomingAsync()
    {
        var (decision, feature) = await AskFeaturesAsync(static (chain, context, _) => chain.OnIncomingAsync(context), 0).ConfigureAwait(false);
        SipUri? target = null;
        Run(() =>
        {
            if (State != CallState.Routing)
            {
                End("cancelled", 487, null);
                return;
            }

            switch (decision)
            {
                case FeatureDecision.RejectDecision reject:
                    Applied(feature!);
                    FailA(reject.Status, reject.Reason);
                    break;
                case FeatureDecision.RetargetDecision retarget:
                    Applied(feature!);
                    _redirects++;
                    target = retarget.Target;
                    break;
                default:
                    target = _aInvite.RequestUri;
                    break;
            }
        });
        return target;
    }

    /// <summary>Every branch failed: the features may send the call on (forwarding on busy), else the caller hears <paramref name="status"/>.</summary>
    private void ConcludeSearch(int status, string reason)
    {
        if (_env.Features.IsEmpty || _redirects >= _env.Options.MaxRedirects)
        {
            FailA(status, reason);
            return;
        }

        _machine.Fire(CallTrigger.Redirected);
        _ = AskOnBranchFailedAsync(status, reason);
    }

    private async Task AskOnBranchFailedAsync(int status, string reason)
    {
        var (decision, feature) = await AskFeaturesAsync(static (chain, context, s) => chain.OnBranchFailedAsync(context, s), status).ConfigureAwait(false);
        if (decision is FeatureDecision.RetargetDecision retarget)
        {
            var routed = await RouteAsync(retarget.Target).ConfigureAwait(false);
            Run(() =>
            {
                if (State != CallState.Forwarding)
                {
                    TryFinish();
                }
                else if (routed.Targets.Count == 0)
                {
                    Applied(feature!);
                    FailA(routed.FailureStatus, routed.FailureReason);
                }
                else
                {
                    Applied(feature!);
                    _redirects++;
                    _bestFailure = null;
                    PlanTargets(routed.Targets);
                    TryNextGroup();
                }
            });
            return;
        }

        Run(() =>
        {
            if (State != CallState.Forwarding)
            {
                // The caller cancelled while the features decided: a cancelled call is never forwarded.
                TryFinish();
            }
            else if (decision is FeatureDecision.RejectDecision reject)
            {
                Applied(feature!);
                FailA(reject.Status, reject.Reason);
            }
            else
            {
                FailA(status, reason);
            }
        });
    }

    /// <summary>A feature that throws is a bug in that feature: the call goes on as if it had said Continue.</summary>
    private async Task<(FeatureDecision Decision, string? Feature)> AskFeaturesAsync(
        Func<CallFeatureChain, FeatureContext, int, ValueTask<(FeatureDecision, string?)>> ask, int status)
    {
        FeatureContext context;
        lock (_gate)
        {
            context = new FeatureContext(_aInvite.From!.Uri, _aInvite.RequestUri!, LatestBranch?.Target.RequestUri ?? _aInvite.RequestUri!, _redirects);
        }

        try
        {
            return await ask(_env.Features, context, status).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            CallLog.FeatureFailed(_env.Logger, ex, ACallId);
            return (FeatureDecision.Continue, null);
        }
    }

    private void Applied(string feature)
    {
        _featuresApplied.Add(feature);
        _env.Metrics.FeatureApplied(feature);
    }
}
