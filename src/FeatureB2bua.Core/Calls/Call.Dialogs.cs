using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Core.Calls;

/// <summary>The call after the INVITE: the caller's CANCEL and ACK, BYE from either side, the A-leg 2xx retransmission.</summary>
public sealed partial class Call
{
    /// <summary>
    /// The caller's CANCEL (RFC 3261 §9.2, seed 000), after its 200: the caller gets 487 at once; the callee is
    /// cancelled only once it has sent a provisional response, otherwise when one arrives (or its INVITE times out).
    /// </summary>
    public void Cancel()
    {
        lock (_gate)
        {
            if (State is not (CallState.Routing or CallState.Calling or CallState.Ringing))
            {
                // After a final response a CANCEL changes nothing.
                return;
            }

            _aTransaction.Respond(ResponseBuilder.Create(_aInvite, 487, "Request Terminated", _aTag));
            var wasRouting = State == CallState.Routing;
            _machine.Fire(CallTrigger.CallerCancelled);
            if (wasRouting)
            {
                return;
            }

            if (_bProvisional)
            {
                SendBCancel();
            }
            else
            {
                _cancelPending = true;
            }
        }
    }

    /// <summary>The ACK of our 2xx on the A-leg: the 2xx retransmission stops (§13.3.1.4).</summary>
    public void OnAAck(SipMessage ack)
    {
        lock (_gate)
        {
            if (ADialog is not null && ack.From?.Tag == ADialog.RemoteTag && ack.To?.Tag == ADialog.LocalTag)
            {
                _aRetransmit?.Dispose();
                _aRetransmit = null;
            }
        }
    }

    /// <summary>An ACK the callee retransmitted or the peer's ACK of our re-sent 2xx needs nothing; BYE ends both legs.</summary>
    public void OnBye(ServerTransaction transaction, SipMessage bye)
    {
        lock (_gate)
        {
            var fromA = bye.CallId == ACallId;
            var dialog = fromA ? ADialog : BDialog;
            if (dialog is null || State is CallState.Ended || !dialog.AcceptRemoteRequest(bye))
            {
                transaction.Respond(ResponseBuilder.Create(bye, 481, "Call/Transaction Does Not Exist", null));
                return;
            }

            transaction.Respond(ResponseBuilder.Create(bye, 200, "OK", null));
            if (State == CallState.Terminating)
            {
                return;
            }

            _aRetransmit?.Dispose();
            _aRetransmit = null;
            _machine.Fire(CallTrigger.HangUp);
            var other = fromA ? BDialog : ADialog;
            if (other is null)
            {
                End("answered", 200, null);
                return;
            }

            SendBye(other, fromA ? _bTarget!.Destination : _aTransaction.Destination);
        }
    }

    /// <summary>§13.3.1.4: the TU resends its 2xx at T1, doubling to T2, until the ACK; none for 64*T1 ends the call.</summary>
    private void StartASuccessRetransmission()
    {
        _aAnsweredAt = _env.Time.GetUtcNow();
        _aInterval = _env.Timers.T1;
        _aRetransmit = _env.Time.CreateTimer(static s => ((Call)s!).RetransmitASuccess(), this, _aInterval, Timeout.InfiniteTimeSpan);
    }

    private void RetransmitASuccess()
    {
        lock (_gate)
        {
            if (_aRetransmit is null || State != CallState.Connected)
            {
                return;
            }

            if (_env.Time.GetUtcNow() - _aAnsweredAt >= _env.Timers.TransactionTimeout)
            {
                // The caller never confirmed: a dead A-leg ends the whole call with BYE to both sides.
                _aRetransmit.Dispose();
                _aRetransmit = null;
                _machine.Fire(CallTrigger.HangUp);
                SendBye(ADialog!, _aTransaction.Destination);
                SendBye(BDialog!, _bTarget!.Destination);
                return;
            }

            _aTransaction.Respond(_aSuccess!);
            _aInterval = _aInterval * 2 < _env.Timers.T2 ? _aInterval * 2 : _env.Timers.T2;
            _aRetransmit.Change(_aInterval, Timeout.InfiniteTimeSpan);
        }
    }
}
