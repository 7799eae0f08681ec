using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The CANCEL rules (RFC 3261 §9, seed 000) in one place. The server core answers the CANCEL itself (200, or 481
/// when it matches no transaction) and hands a match to <see cref="Cancel"/>.
/// </summary>
public sealed partial class Call
{
    private string? _cancelReason;

    /// <summary>
    /// The caller's CANCEL: the caller gets 487 for its INVITE as soon as the CDR (cancelled) is committed; each callee branch is cancelled as soon as
    /// it has sent a provisional response, and never before (§9.1); a no-answer timer stops, and a feature decision
    /// still under way finds the call cancelled and forwards nothing. After a final response it changes nothing.
    /// The features may give the branch CANCELs a Reason (RFC 3326), such as the caller's own.
    /// </summary>
    public void Cancel(SipMessage cancel)
    {
        Run(() =>
        {
            if (State is not (CallState.Routing or CallState.Calling or CallState.Ringing or CallState.Forwarding))
            {
                return;
            }

            _machine.Fire(CallTrigger.CallerCancelled);
            StopNoAnswer();
            if (!_env.Features.IsEmpty && CancelReason(cancel) is ({ } reason, { } feature))
            {
                Applied(feature);
                _cancelReason = reason;
            }

            Conclude("cancelled", 487, null);
            AfterRecord(() => _aTransaction.Respond(ResponseBuilder.Create(_aInvite, 487, "Request Terminated", _aTag)));

            foreach (var branch in _branches)
            {
                if (!branch.Finished)
                {
                    CancelBranch(branch);
                }
            }
        });
    }

    /// <summary>A feature that throws here is a bug in it: the CANCELs go without a Reason.</summary>
    private (string? Reason, string? Feature) CancelReason(SipMessage cancel)
    {
        try
        {
            return _env.Features.OnCancel(Context() with { CallerReason = cancel.GetHeader("Reason") });
        }
        catch (Exception ex)
        {
            CallLog.FeatureFailed(_env.Logger, ex);
            return (null, null);
        }
    }

    /// <summary>
    /// A CANCEL of a re-INVITE we relayed: it goes on to the other leg under the same §9.1 rule, and the caller of
    /// the re-INVITE gets whatever that leg answers (487, or a 2xx that won the race, which then stands).
    /// </summary>
    public void CancelReInvite(ServerTransaction reInvite)
    {
        Run(() =>
        {
            foreach (var (relayed, relay) in _relays)
            {
                if (ReferenceEquals(relay.Transaction, reInvite))
                {
                    relay.CancelWanted = true;
                    if (relay.HasProvisional)
                    {
                        SendRelayCancel(relayed, relay);
                    }
                }
            }
        });
    }

    private void SendRelayCancel(SipMessage relayed, RelayedRequest relay)
    {
        relay.CancelWanted = false;
        _env.Transactions.SendRequest(BLegInviteBuilder.Cancel(relayed), Other(relay.From).Destination!, this);
    }

    /// <summary>
    /// §9.1: a CANCEL goes only after a provisional response; until then it waits, and if the INVITE times out
    /// instead it is never sent. A 2xx that crosses it is handled where 2xx responses are (ACK, then BYE).
    /// </summary>
    private void CancelBranch(Branch branch)
    {
        if (branch.HasProvisional)
        {
            SendCancel(branch);
        }
        else
        {
            branch.CancelWanted = true;
        }
    }

    /// <summary>§9.1: CANCEL copies the INVITE's Request-URI, Call-ID, From, To, CSeq number and top Via.</summary>
    private void SendCancel(Branch branch)
    {
        branch.CancelWanted = false;
        if (branch.CancelSent || branch.Finished)
        {
            return;
        }

        branch.CancelSent = true;
        _env.Transactions.SendRequest(BLegInviteBuilder.Cancel(branch.Invite, _cancelReason), branch.Target.Destination, this);
    }
}
