using FeatureB2bua.Core.Routing;
using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// One call: the A-leg (we are its UAS) and the current B-leg (we are its UAC), linked here so that neither
/// can outlive the other. Every event takes the call's lock; the transaction layer never calls up while
/// holding its own, so the lock order is always call, then transaction.
/// </summary>
public sealed partial class Call : IClientTransactionUser
{
    private readonly object _gate = new();
    private readonly CallEnvironment _env;
    private readonly ServerTransaction _aTransaction;
    private readonly SipMessage _aInvite;
    private readonly string _aTag = TagGenerator.New();
    private readonly CallRegistry _registry;
    private IReadOnlyList<CallTarget> _targets = [];
    private int _nextTarget;
    private ClientTransaction? _bTransaction;
    private SipMessage? _bInvite;
    private CallTarget? _bTarget;
    private bool _bProvisional;
    private bool _cancelPending;
    private SipMessage? _bAck;
    private SipMessage? _aSuccess;
    private ITimer? _aRetransmit;
    private TimeSpan _aInterval;
    private DateTimeOffset _aAnsweredAt;
    private int _byesOutstanding;
    private bool _ended;
    private readonly Core.StateMachines.StateMachine<CallState, CallTrigger> _machine = CallStateMachine.Create();

    public Call(CallEnvironment env, ServerTransaction aTransaction, CallRegistry registry)
    {
        _env = env;
        _aTransaction = aTransaction;
        _aInvite = aTransaction.Request;
        _registry = registry;
        SetupAt = env.Time.GetUtcNow();
        _machine.OnUnhandledTrigger((state, trigger) => CallLog.TriggerRefused(_env.Logger, ACallId, trigger, state));
    }

    public CallState State => _machine.State;

    public string ACallId => _aInvite.CallId!;

    /// <summary>Set when the B-leg INVITE is sent; each new B-leg gets a new one.</summary>
    public string? BCallId => _bInvite?.CallId;

    public ServerTransaction ATransaction => _aTransaction;

    public Dialog? ADialog { get; private set; }

    public Dialog? BDialog { get; private set; }

    public DateTimeOffset SetupAt { get; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public async Task StartAsync()
    {
        RoutingDecision decision;
        try
        {
            decision = await _env.Router.RouteAsync(_aInvite).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            CallLog.RoutingFailed(_env.Logger, ex, ACallId);
            decision = RoutingDecision.Refuse(500, "Server Internal Error");
        }

        lock (_gate)
        {
            if (State != CallState.Routing)
            {
                // Cancelled while routing: the caller has its 487 already.
                End("cancelled", 487, null);
                return;
            }

            _targets = decision.Targets;
            if (_targets.Count == 0)
            {
                FailA(decision.FailureStatus, decision.FailureReason);
                return;
            }

            TryNextTarget();
        }
    }

    public void OnResponse(ClientTransaction transaction, SipMessage response)
    {
        lock (_gate)
        {
            if (transaction.Request.Method == SipMethod.Bye)
            {
                ByeAnswered();
            }
            else if (transaction == _bTransaction)
            {
                OnBInviteResponse(response);
            }
        }
    }

    /// <summary>A 2xx after the INVITE transaction ended (RFC 6026 Timer M): the callee lost our ACK and wants it again.</summary>
    public void OnStrayResponse(SipMessage response)
    {
        lock (_gate)
        {
            if (response.CSeq?.Method == SipMethod.Invite && response.StatusCode is >= 200 and < 300 && response.CallId == BCallId)
            {
                OnBSuccess(response);
            }
        }
    }

    public void OnTimeout(ClientTransaction transaction) => OnBFailure(transaction, 408, "Request Timeout");

    public void OnTransportError(ClientTransaction transaction) => OnBFailure(transaction, 503, "Service Unavailable");

    private void TryNextTarget()
    {
        _bTarget = _targets[_nextTarget++];
        var protocol = _bTarget.Destination.Protocol;
        _bInvite = BLegInviteBuilder.Build(_aInvite, _bTarget, _env.Via(protocol), _env.Contact(protocol));
        _bProvisional = false;
        _machine.Fire(CallTrigger.TargetTried);
        _registry.AddLeg(_bInvite.CallId!, this);
        _bTransaction = _env.Transactions.SendRequest(_bInvite, _bTarget.Destination, this);
    }

    private void OnBInviteResponse(SipMessage response)
    {
        var status = response.StatusCode;
        if (status < 200)
        {
            OnBProvisional(response);
        }
        else if (status < 300)
        {
            OnBSuccess(response);
        }
        else if (State == CallState.Cancelling)
        {
            // The 487 (or any final) that a CANCEL brings; the caller was told at once.
            End("cancelled", 487, null);
        }
        else if (status is 408 or 503 && _nextTarget < _targets.Count)
        {
            // Failover to the next upstream on 503 or 408 (DESIGN.md §4 routing).
            TryNextTarget();
        }
        else
        {
            FailA(status, response.ReasonPhrase);
        }
    }

    private void OnBProvisional(SipMessage response)
    {
        if (response.StatusCode == 100)
        {
            return;
        }

        _bProvisional = true;
        if (_cancelPending)
        {
            // Seed 000 / RFC 3261 §9.1: a CANCEL waits for a provisional response, which has now come.
            SendBCancel();
            return;
        }

        if (_machine.Fire(CallTrigger.Provisional) is Core.StateMachines.FireResult.Transitioned or Core.StateMachines.FireResult.Internal)
        {
            _aTransaction.Respond(RelayToA(response));
        }
    }

    private void OnBSuccess(SipMessage response)
    {
        if (BDialog is not null)
        {
            // A retransmitted 2xx (its ACK was lost): ACK again (§13.2.2.4).
            if (_bAck is not null && response.To?.Tag == BDialog.RemoteTag)
            {
                _env.Transactions.SendStateless(_bAck, _bTarget!.Destination);
            }

            return;
        }

        BDialog = Dialog.ForUac(_bInvite!, response);
        _bAck = DialogRequestBuilder.Build(BDialog, SipMethod.Ack, _bInvite!.CSeq!.Number, _env.Via(_bTarget!.Destination.Protocol), _env.Contact(_bTarget.Destination.Protocol));
        _env.Transactions.SendStateless(_bAck, _bTarget.Destination);
        if (State == CallState.Cancelling)
        {
            // The 200 crossed the caller's CANCEL: accept and hang up the callee; the caller has its 487.
            _machine.Fire(CallTrigger.AnswerAfterCancel);
            SendBye(BDialog, _bTarget.Destination);
            return;
        }

        AnsweredAt = _env.Time.GetUtcNow();
        ADialog = Dialog.ForUas(_aInvite, _aTag);
        _aSuccess = RelayToA(response);
        _aTransaction.Respond(_aSuccess);
        _machine.Fire(CallTrigger.Answered);
        StartASuccessRetransmission();
    }

    private void OnBFailure(ClientTransaction transaction, int status, string reason)
    {
        lock (_gate)
        {
            if (transaction.Request.Method == SipMethod.Bye)
            {
                ByeAnswered();
                return;
            }

            if (transaction != _bTransaction || State is CallState.Ended or CallState.Connected or CallState.Terminating)
            {
                return;
            }

            if (State == CallState.Cancelling)
            {
                End("cancelled", 487, null);
            }
            else if (_nextTarget < _targets.Count)
            {
                TryNextTarget();
            }
            else
            {
                FailA(status, reason);
            }
        }
    }

    private SipMessage RelayToA(SipMessage bResponse)
    {
        var protocol = _aInvite.Source!.Protocol;
        var contentType = bResponse.Body.IsEmpty ? null : bResponse.GetHeader(HeaderId.ContentType);
        return ResponseBuilder.Create(_aInvite, bResponse.StatusCode, bResponse.ReasonPhrase, _aTag, w => w.WriteHeader(HeaderId.Contact, _env.Contact(protocol)), bResponse.Body, contentType);
    }

    private void FailA(int status, string reason)
    {
        _aTransaction.Respond(ResponseBuilder.Create(_aInvite, status, reason, _aTag));
        _machine.Fire(CallTrigger.Failed);
        End(status is 486 or 600 ? "busy" : "failed", status, reason);
    }

    private void SendBCancel()
    {
        var cancel = BLegInviteBuilder.Cancel(_bInvite!);
        _env.Transactions.SendRequest(cancel, _bTarget!.Destination, this);
        _cancelPending = false;
    }

    private void SendBye(Dialog dialog, Sip.Transport.SipDestination destination)
    {
        _byesOutstanding++;
        var bye = DialogRequestBuilder.Build(dialog, SipMethod.Bye, dialog.NextLocalCSeq(), _env.Via(destination.Protocol), _env.Contact(destination.Protocol));
        _env.Transactions.SendRequest(bye, destination, this);
    }

    private void ByeAnswered()
    {
        if (--_byesOutstanding <= 0 && State == CallState.Terminating)
        {
            End(AnsweredAt is null ? "cancelled" : "answered", AnsweredAt is null ? 487 : 200, null);
        }
    }

    private void End(string result, int finalStatus, string? reason)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        _machine.Fire(CallTrigger.Finished);
        _aRetransmit?.Dispose();
        _aRetransmit = null;
        _env.Records.Write(new CallRecord(
            ACallId, _aInvite.From!.Uri.Raw, _aInvite.RequestUri!.Raw, _bTarget?.RequestUri.Raw, SetupAt, AnsweredAt, _env.Time.GetUtcNow(), result, finalStatus, reason));
        _registry.Remove(this);
    }
}
