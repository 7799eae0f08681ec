using FeatureB2bua.Core.Features;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Where the feature chain meets the call (DESIGN.md §4): each target before it is routed, a search whose every
/// branch failed before the caller hears it, a target ringing too long, a hold, the caller's CANCEL. The
/// asynchronous points run off the call's lock and their decision is applied under it, after checking that the
/// call is still where it was (a call the caller cancelled meanwhile is never forwarded). Each applied feature
/// goes into the CDR and the metrics.
/// </summary>
public sealed partial class Call
{
    private readonly List<string> _featuresApplied = [];
    private Subscriber? _callerSubscriber;
    private Subscriber? _targetSubscriber;
    private SipUri? _target;
    private ITimer? _noAnswer;

    /// <summary>The call as features see it now.</summary>
    private FeatureContext Context(SipUri? target = null, Subscriber? targetSubscriber = null) =>
        new(_aInvite.From!.Uri, _aInvite.RequestUri!, target ?? _target ?? _aInvite.RequestUri!, _forwards.Count)
        {
            CallerSubscriber = _callerSubscriber,
            TargetSubscriber = target is null ? _targetSubscriber : targetSubscriber,
            Source = _aInvite.Source?.Remote.Address,
        };

    /// <summary>The caller, when one of our subscribers: features act on their settings, and they are in a call from now on.</summary>
    private async Task IdentifyCallerAsync()
    {
        var caller = await FindSubscriberAsync(_aInvite.From!.Uri).ConfigureAwait(false);
        Run(() =>
        {
            _callerSubscriber = caller;
            Engage(caller);
        });
    }

    /// <summary>
    /// The features' say on <paramref name="target"/> before it is routed, again for each target they forward to
    /// (a forward target may forward on unconditionally in turn). Returns the target to route to, or null when the
    /// call took another course (refused, redirected, answered here, cancelled).
    /// </summary>
    private async Task<SipUri?> ResolveTargetAsync(SipUri target)
    {
        while (true)
        {
            var subscriber = await FindSubscriberAsync(target).ConfigureAwait(false);
            var (decision, feature) = await AskAsync(chain => chain.OnIncomingAsync(Context(target, subscriber))).ConfigureAwait(false);
            SipUri? next = null;
            SipUri? resolved = null;
            Run(() =>
            {
                if (State is not (CallState.Routing or CallState.Forwarding))
                {
                    TryFinish();
                    return;
                }

                _target = target;
                _targetSubscriber = subscriber;
                switch (decision)
                {
                    case FeatureDecision.RetargetDecision retarget when TryForward(retarget, feature!):
                        next = retarget.Target;
                        break;
                    case FeatureDecision.RetargetDecision:
                        break;
                    case FeatureDecision.RedirectDecision redirect:
                        Applied(feature!);
                        Redirect(redirect);
                        break;
                    case FeatureDecision.ConfirmDecision:
                        Applied(feature!);
                        AnswerHere();
                        break;
                    case FeatureDecision.RejectDecision { Status: 486 or 600 } busy:
                        // Busy without being rung is busy all the same: forwarding on busy may still apply.
                        Applied(feature!);
                        ConcludeSearch(busy.Status, busy.Reason);
                        break;
                    case FeatureDecision.RejectDecision reject:
                        Refuse(reject, feature!);
                        break;
                    default:
                        Engage(subscriber);
                        resolved = target;
                        break;
                }
            });

            if (next is null)
            {
                return resolved;
            }

            target = next;
        }
    }

    /// <summary>
    /// A feature sends the call on from the current target. A target the call already went to is a loop (482, as a
    /// proxy answers one, RFC 3261 §16.3); a chain longer than the hop limit ends in 480. Otherwise the caller
    /// hears 181 (§21.1.3) and the hop is written down for History-Info and Diversion.
    /// </summary>
    private bool TryForward(FeatureDecision.RetargetDecision retarget, string feature)
    {
        Applied(feature);
        if (_forwards.HasVisited(retarget.Target))
        {
            FailA(482, "Loop Detected", "forward-loop");
            return false;
        }

        if (_forwards.PriorHops + _forwards.Count >= _env.Features.Options.MaxForwardHops)
        {
            FailA(480, "Temporarily Unavailable", "forward-limit");
            return false;
        }

        _forwards.Add(_target ?? _aInvite.RequestUri!, retarget.Target, retarget.Reason);
        Disengage(_targetSubscriber);
        _aTransaction.Respond(ResponseBuilder.Create(_aInvite, 181, "Call Is Being Forwarded", _aTag, w => w.WriteHeader(HeaderId.Contact, _env.Contact(_aInvite.Source!.Protocol, _aInvite.RequestUri!.IsSecure))));
        return true;
    }

    private void Refuse(FeatureDecision.RejectDecision reject, string feature)
    {
        Applied(feature);
        FailA(reject.Status, reject.Reason);
    }

    /// <summary>RFC 3261 §8.3 and §21.3.3: the caller is told where to call, with Diversion saying why; nobody is rung.</summary>
    private void Redirect(FeatureDecision.RedirectDecision redirect)
    {
        var diversion = _forwards.Diversion(_target, redirect.Reason)!;
        FailA(ResponseBuilder.Create(_aInvite, 302, "Moved Temporarily", _aTag, w =>
        {
            w.WriteHeader(HeaderId.Contact, $"<{redirect.Target.Raw}>");
            w.WriteHeader("Diversion", diversion);
        }), "redirected");
    }

    /// <summary>Every branch failed: the features may send the call on (forwarding on busy), else the caller hears <paramref name="status"/>.</summary>
    private void ConcludeSearch(int status, string reason)
    {
        StopNoAnswer();
        if (_env.Features.IsEmpty)
        {
            FailA(status, reason);
            return;
        }

        if (State != CallState.Forwarding)
        {
            _machine.Fire(CallTrigger.Redirected);
        }

        _ = AskOnBranchFailedAsync(status, reason);
    }

    private async Task AskOnBranchFailedAsync(int status, string reason)
    {
        var (decision, feature) = await AskAsync(chain => chain.OnBranchFailedAsync(Context(), status)).ConfigureAwait(false);
        var forwarded = false;
        Run(() =>
        {
            if (State != CallState.Forwarding)
            {
                // The caller cancelled while the features decided: a cancelled call is never forwarded.
                TryFinish();
                return;
            }

            switch (decision)
            {
                case FeatureDecision.RetargetDecision retarget:
                    forwarded = TryForward(retarget, feature!);
                    break;
                case FeatureDecision.RejectDecision reject:
                    Refuse(reject, feature!);
                    break;
                default:
                    FailA(status, reason);
                    break;
            }
        });

        if (forwarded && decision is FeatureDecision.RetargetDecision next)
        {
            await SearchAsync(next.Target).ConfigureAwait(false);
        }
    }

    /// <summary>The search's first INVITEs are out: a feature may want it to ring for a limited time only.</summary>
    private void ArmNoAnswer()
    {
        StopNoAnswer();
        if (_env.Features.IsEmpty || _env.Features.NoAnswerTimeout(Context()) is not { } timeout)
        {
            return;
        }

        _noAnswer = _env.Time.CreateTimer(static state => ((Call)state!).Run(((Call)state!).OnNoAnswer), this, timeout, Timeout.InfiniteTimeSpan);
    }

    private void StopNoAnswer()
    {
        _noAnswer?.Dispose();
        _noAnswer = null;
    }

    /// <summary>
    /// The target rang too long. A retarget cancels every pending branch by the CANCEL rules of <c>Call.Cancel.cs</c>
    /// (their late answers are ignored, a late 2xx is ACKed and hung up) and starts the next search; the caller's
    /// dialog stays early throughout.
    /// </summary>
    private void OnNoAnswer()
    {
        if (_noAnswer is null || _answered is not null || State is not (CallState.Calling or CallState.Ringing))
        {
            return;
        }

        StopNoAnswer();
        var (decision, feature) = Ask(chain => chain.OnNoAnswer(Context()));
        if (decision is not FeatureDecision.RetargetDecision retarget)
        {
            return;
        }

        AbandonBranches();
        _machine.Fire(CallTrigger.Redirected);
        if (TryForward(retarget, feature!))
        {
            _ = SearchAsync(retarget.Target);
        }
    }

    /// <summary>A feature that throws is a bug in that feature: the call goes on as if it had said Continue.</summary>
    private async Task<(FeatureDecision Decision, string? Feature)> AskAsync(Func<CallFeatureChain, ValueTask<(FeatureDecision, string?)>> ask)
    {
        try
        {
            return await ask(_env.Features).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            CallLog.FeatureFailed(_env.Logger, ex);
            return (FeatureDecision.Continue, null);
        }
    }

    private (FeatureDecision Decision, string? Feature) Ask(Func<CallFeatureChain, (FeatureDecision, string?)> ask)
    {
        try
        {
            return ask(_env.Features);
        }
        catch (Exception ex)
        {
            CallLog.FeatureFailed(_env.Logger, ex);
            return (FeatureDecision.Continue, null);
        }
    }

    /// <summary>A store that fails leaves the call without features for that party rather than failing it.</summary>
    private async Task<Subscriber?> FindSubscriberAsync(SipUri uri)
    {
        try
        {
            return await _env.Subscribers.FindAsync(uri, _aInvite).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            CallLog.FeatureFailed(_env.Logger, ex);
            return null;
        }
    }

    private void Engage(Subscriber? subscriber)
    {
        if (subscriber is not null && _engaged.Add(subscriber.User))
        {
            _env.Presence.Engage(subscriber.User);
        }
    }

    /// <summary>The call has left this target (forwarded elsewhere): it no longer makes them busy, unless they are the caller.</summary>
    private void Disengage(Subscriber? target)
    {
        if (target is not null && !string.Equals(target.User, _callerSubscriber?.User, StringComparison.OrdinalIgnoreCase) && _engaged.Remove(target.User))
        {
            _env.Presence.Release(target.User);
        }
    }

    private void Applied(string feature)
    {
        _featuresApplied.Add(feature);
        _env.Metrics.FeatureApplied(feature);
    }
}
