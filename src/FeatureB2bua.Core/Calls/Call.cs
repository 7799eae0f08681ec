using FeatureB2bua.Core.Routing;
using FeatureB2bua.Core.StateMachines;
using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// One call: the A-leg (we are its UAS) and the B-leg (we are its UAC), linked here so that neither can outlive
/// the other. The parts live in files by concern: the B-leg INVITE branches (<c>Call.Branches.cs</c>), the
/// caller's CANCEL (<c>Call.Cancel.cs</c>), requests inside the dialogs (<c>Call.InDialog.cs</c>), what keeps an
/// answered call honest (<c>Call.Liveness.cs</c>), the feature chain's decision points (<c>Call.Features.cs</c>)
/// and the SDP that crosses the legs (<c>Call.Media.cs</c>). Every event takes the call's lock; the transaction layer never
/// calls up while holding its own, so the lock order is always call, then transaction.
/// </summary>
public sealed partial class Call : IClientTransactionUser
{
    private readonly object _gate = new();
    private readonly CallEnvironment _env;
    private readonly ServerTransaction _aTransaction;
    private readonly SipMessage _aInvite;
    private readonly string _aTag = TagGenerator.New();
    private readonly CallRegistry _registry;
    private readonly StateMachine<CallState, CallTrigger> _machine = CallStateMachine.Create();
    private readonly CallLeg _a = new("A");
    private readonly CallLeg _b = new("B");
    private readonly ForwardHistory _forwards;
    private readonly HashSet<string> _engaged = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _journaled;
    private int _byesOutstanding;
    private string _endResult = "answered";
    private bool _ended;

    public Call(CallEnvironment env, ServerTransaction aTransaction, CallRegistry registry)
    {
        _env = env;
        _aTransaction = aTransaction;
        _aInvite = aTransaction.Request;
        _registry = registry;
        _a.Destination = aTransaction.Destination;
        _forwards = new ForwardHistory(_aInvite);
        _logScope = new CallLogScope(ACallId);
        _media = env.Media.Open(this);
        SetupAt = env.Time.GetUtcNow();

        // Queued here, before any event of the call can queue its CDR, so the journal entry never lands after it.
        _journaled = env.Records.Journal(Journal());
        _machine.OnUnhandledTrigger((state, trigger) => CallLog.TriggerRefused(_env.Logger, trigger, state));
        env.Observers.Started(ACallId, _aInvite.From!.Uri.Raw, _aInvite.RequestUri!.Raw);
    }

    public string ACallId => _aInvite.CallId!;

    internal ServerTransaction ATransaction => _aTransaction;

    /// <summary>The authenticated caller whose call limit this call counts against; null for a trusted source.</summary>
    internal string? Subscriber { get; init; }

    private CallState State => _machine.State;

    private DateTimeOffset SetupAt { get; }

    private DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>The answered B-leg, else the branch tried last; each has its own Call-ID.</summary>
    private Branch? LatestBranch => _answered ?? (_branches.Count > 0 ? _branches[^1] : null);

    public CallSnapshot Snapshot()
    {
        lock (_gate)
        {
            var latest = LatestBranch;
            return new CallSnapshot(
                ACallId, latest?.Invite.CallId, State, _aInvite.From!.Uri.Raw, _aInvite.RequestUri!.Raw, latest?.Target.RequestUri.Raw, _branches.Count, SetupAt, AnsweredAt, _media?.Snapshot())
            {
                Features = [.. _featuresApplied],
            };
        }
    }

    public async Task StartAsync()
    {
        // The search that starts here (features, routing, the first INVITEs) runs in the call's log scope throughout.
        using var logScope = EnterLogScope();

        // Nothing reaches a callee before the call is in the journal: a crash from here on leaves it a CDR.
        await _journaled.ConfigureAwait(false);
        if (_media is null)
        {
            Run(() =>
            {
                CallLog.NoMediaPorts(_env.Logger);
                FailA(503, "Service Unavailable", "no-media-ports");
            });

            return;
        }

        if (SessionIntervalTooSmall() is { } refusal)
        {
            Run(() => FailA(refusal));

            return;
        }

        if (!_env.Features.IsEmpty)
        {
            await IdentifyCallerAsync().ConfigureAwait(false);
        }

        await SearchAsync(_aInvite.RequestUri!).ConfigureAwait(false);
    }

    /// <summary>
    /// A search for <paramref name="target"/>: the dialled URI, or where a feature forwarded the call. The features
    /// have their say, the target is routed, and the INVITEs of its first group go out. A forward's search replaces
    /// whatever was left of the one before.
    /// </summary>
    private async Task SearchAsync(SipUri target)
    {
        var resolved = _env.Features.IsEmpty ? target : await ResolveTargetAsync(target).ConfigureAwait(false);
        if (resolved is null)
        {
            return;
        }

        var decision = await RouteAsync(resolved).ConfigureAwait(false);
        Run(() =>
        {
            if (State is not (CallState.Routing or CallState.Forwarding))
            {
                // Cancelled meanwhile: the caller has its 487 already.
                TryFinish();
                return;
            }

            if (decision.Targets.Count == 0)
            {
                FailA(ResponseBuilder.Create(_aInvite, decision.FailureStatus, decision.FailureReason, _aTag, decision.Warning is { } warning ? w => w.WriteHeader(HeaderId.Warning, warning) : null));
                return;
            }

            if (_offerToB is null)
            {
                if (decision.Codecs is { Count: > 0 } codecs)
                {
                    Media.RestrictCodecs(codecs);
                }

                if (!TryAcross(_a, _aInvite, out var offer, out var error))
                {
                    FailA(RefuseSdp(_aInvite, _aTag, error!));
                    return;
                }

                _offerToB = offer;
            }

            _groups.RemoveRange(_nextGroup, _groups.Count - _nextGroup);
            _bestFailure = null;
            PlanTargets(decision.Targets);
            TryNextGroup();
            ArmNoAnswer();
        });
    }

    /// <summary>Routing never throws at the call: a store or resolver failure is a 500 for this call alone.</summary>
    private async Task<RoutingDecision> RouteAsync(SipUri target)
    {
        try
        {
            return await _env.Router.RouteAsync(target, _aInvite).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            CallLog.RoutingFailed(_env.Logger, ex);
            return RoutingDecision.Refuse(500, "Server Internal Error");
        }
    }

    public void OnResponse(ClientTransaction transaction, SipMessage response)
    {
        Run(() =>
        {
            Complete(transaction, response.StatusCode, response.ReasonPhrase, response);
        });
    }

    /// <summary>Timer B or F: a 408 for us (RFC 3261 §8.1.3.1).</summary>
    public void OnTimeout(ClientTransaction transaction)
    {
        Run(() =>
        {
            Complete(transaction, 408, "Request Timeout", null);
        });
    }

    /// <summary>A transport failure: a 503 for us (RFC 3261 §8.1.3.1).</summary>
    public void OnTransportError(ClientTransaction transaction)
    {
        Run(() =>
        {
            Complete(transaction, 503, "Service Unavailable", null);
        });
    }

    /// <summary>A 2xx after its INVITE transaction ended (RFC 6026 Timer M): the peer lost our ACK and wants it again.</summary>
    public void OnStrayResponse(SipMessage response)
    {
        Run(() =>
        {
            if (response.CSeq?.Method != SipMethod.Invite || response.StatusCode is < 200 or >= 300)
            {
                return;
            }

            if (_branches.Find(b => b.Invite.CallId == response.CallId && b.Invite.CSeq!.Number == response.CSeq.Number) is { } branch)
            {
                OnBranchSuccess(branch, response);
            }
            else
            {
                AckAgain(response);
            }
        });
    }

    /// <summary>A 2xx to one of our in-dialog INVITEs came again: our ACK was lost (§13.2.2.4), so it goes again.</summary>
    private void AckAgain(SipMessage response)
    {
        if (LegOf(response.CallId) is { LastAck: { } ack } leg && ack.CSeq!.Number == response.CSeq!.Number)
        {
            _env.Transactions.SendStateless(ack, leg.Destination!);
        }
    }

    private void Complete(ClientTransaction transaction, int status, string reason, SipMessage? response)
    {
        switch (transaction.Request.Method)
        {
            case SipMethod.Bye:
                if (status >= 200)
                {
                    ByeAnswered();
                }

                return;
            case SipMethod.Cancel:
                return;
        }

        if (_branches.Find(b => ReferenceEquals(b.Invite, transaction.Request)) is { } branch)
        {
            OnBranchResponse(branch, status, reason, response);
        }
        else if (_relays.TryGetValue(transaction.Request, out var relay))
        {
            OnRelayResponse(transaction.Request, relay, status, reason, response);
        }
        else if (_refreshes.TryGetValue(transaction.Request, out var leg))
        {
            OnRefreshResponse(transaction.Request, leg, status, response);
        }
        else if (status is >= 200 and < 300 && transaction.Request.Method == SipMethod.Invite)
        {
            // RFC 6026 §7.2: the transaction passes up a 2xx retransmitted after its first.
            AckAgain(response!);
        }
    }

    /// <summary>Which of our legs a message belongs to, by Call-ID: the caller's, or the answered branch's.</summary>
    private CallLeg? LegOf(string? callId) =>
        callId == ACallId ? _a : _answered is not null && callId == _answered.Invite.CallId ? _b : null;

    private CallLeg Other(CallLeg leg) => ReferenceEquals(leg, _a) ? _b : _a;

    private void FailA(int status, string reason, string? result = null) =>
        FailA(ResponseBuilder.Create(_aInvite, status, reason, _aTag), result);

    /// <summary>The caller's final answer, built with headers of its own (a 488's Warning, say); it goes once the CDR is committed.</summary>
    private void FailA(SipMessage response, string? result = null)
    {
        _machine.Fire(CallTrigger.Failed);
        End(result ?? (response.StatusCode is 486 or 600 ? "busy" : "failed"), response.StatusCode, response.ReasonPhrase);
        AfterRecord(() => _aTransaction.Respond(response));
    }

    /// <summary>
    /// Every event runs under the call's lock and here: a bug met by one call ends that call (500 before the
    /// answer, BYE after it, a CDR either way) and never reaches the transport loop or another call.
    /// </summary>
    private void Run(Action handler)
    {
        using var logScope = EnterLogScope();
        lock (_gate)
        {
            var before = State;
            try
            {
                handler();
            }
            catch (Exception ex)
            {
                Abort(ex);
            }

            if (State != before)
            {
                _env.Observers.StateChanged(ACallId);
            }
        }
    }

    private void Abort(Exception ex)
    {
        CallLog.CallFailed(_env.Logger, ex, State);
        if (_ended)
        {
            return;
        }

        try
        {
            if (State is CallState.Routing or CallState.Calling or CallState.Ringing or CallState.Forwarding)
            {
                foreach (var branch in _branches.Where(b => !b.Finished))
                {
                    CancelBranch(branch);
                }

                FailA(500, "Server Internal Error", "error");
            }
            else
            {
                Conclude("error", 500, ex.GetType().Name);
                HangUp("error");
            }
        }
        catch (Exception teardown)
        {
            CallLog.CallFailed(_env.Logger, teardown, State);
        }
        finally
        {
            End("error", 500, ex.GetType().Name);
        }
    }

    /// <summary>BYE to a leg whose dialog is up; the call ends when every BYE has its answer (or timed out).</summary>
    private void SendBye(CallLeg leg)
    {
        if (leg.Closed || leg.Dialog is not { } dialog || leg.Destination is not { } destination)
        {
            return;
        }

        _byesOutstanding++;
        leg.Closed = true;
        var bye = DialogRequestBuilder.Build(dialog, SipMethod.Bye, dialog.NextLocalCSeq(), _env.Via(destination.Protocol), _env.Contact(destination.Protocol, dialog.RemoteTarget.IsSecure));
        SendEnding(leg, () => _env.Transactions.SendRequest(bye, destination, this));
    }

    private void ByeAnswered()
    {
        _byesOutstanding--;
        TryFinish();
    }

    /// <summary>A call hanging up or cancelled ends once no BYE and no branch is outstanding.</summary>
    private void TryFinish()
    {
        if (_byesOutstanding > 0 || _branches.Exists(b => !b.Finished))
        {
            return;
        }

        if (State == CallState.Cancelling)
        {
            End("cancelled", 487, null);
        }
        else if (State == CallState.Terminating)
        {
            End(AnsweredAt is null ? "cancelled" : _endResult, AnsweredAt is null ? 487 : 200, null);
        }
    }

    private void End(string result, int finalStatus, string? reason)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        var record = Conclude(result, finalStatus, reason);
        _machine.Fire(CallTrigger.Finished);
        StopLiveness();
        StopNoAnswer();
        foreach (var user in _engaged)
        {
            _env.Presence.Release(user);
        }

        // Before the media session goes: its packet counts are part of the summary.
        LogSummary(record);
        _media?.Dispose();
        _registry.Remove(this);
        _env.Metrics.Ended(record.Result, AnsweredAt is not null);
        _env.Observers.Ended(ACallId, record.Result);
    }
}
