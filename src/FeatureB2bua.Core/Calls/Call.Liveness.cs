using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// What keeps an answered call honest: our 2xx resent until its ACK (none for 64*T1 ends the call), RFC 4028
/// session timers on each leg (we refresh where we are the refresher, and end the call where the peer stops), a
/// maximum duration, and a dead leg (408 or 481 to a request inside it) ending the whole call with BYE to the
/// live side. Every timer is on the call's <see cref="TimeProvider"/> and is disposed when the call ends.
/// </summary>
public sealed partial class Call
{
    private readonly Dictionary<SipMessage, CallLeg> _refreshes = new(ReferenceEqualityComparer.Instance);
    private ITimer? _maxDuration;

    /// <summary>
    /// RFC 4028 §9: an interval below our Min-SE is refused with 422 and our minimum. Without one, ours applies,
    /// raised to the request's Min-SE if that is higher: the UAS must not choose less.
    /// </summary>
    private SipMessage? SessionIntervalTooSmall()
    {
        var minimum = (uint)_env.Options.MinSessionExpiresSeconds;
        if (_aInvite.SessionExpires is not { } asked)
        {
            _offeredSessionExpires = (uint)_env.Options.SessionExpiresSeconds;
            if (_offeredSessionExpires > 0 && _aInvite.MinSessionExpires is { } callerMinimum && callerMinimum > _offeredSessionExpires)
            {
                _offeredSessionExpires = callerMinimum;
            }

            return null;
        }

        _offeredSessionExpires = asked.Seconds;
        return asked.Seconds >= minimum
            ? null
            : ResponseBuilder.Create(_aInvite, 422, "Session Interval Too Small", _aTag, w => w.WriteHeader(HeaderId.MinSE, minimum));
    }

    /// <summary>
    /// At the answer. A-leg, where we are the UAS (§9): the caller's interval, else ours; the caller refreshes if it
    /// said so or, saying nothing, supports timers; otherwise we do. B-leg, where we are the UAC (§7.2): the
    /// callee's 2xx decides; without Session-Expires there it has no session timer.
    /// </summary>
    private void NegotiateSessionTimers(Branch branch, SipMessage response)
    {
        if (_offeredSessionExpires > 0)
        {
            var callerRefreshes = _aInvite.SessionExpires?.Refresher switch
            {
                SessionRefresher.Uac => true,
                SessionRefresher.Uas => false,
                _ => SupportsTimer(_aInvite),
            };
            _a.SessionTimer = new SessionTimer(_offeredSessionExpires, weRefresh: !callerRefreshes);
        }

        if (branch.SessionExpires > 0 && response.SessionExpires is { } granted)
        {
            _b.SessionTimer = new SessionTimer(granted.Seconds, weRefresh: granted.Refresher != SessionRefresher.Uas);
        }
    }

    private static bool SupportsTimer(SipMessage message) =>
        message.GetValues(HeaderId.Supported).Exists(t => t.Equals("timer", StringComparison.OrdinalIgnoreCase))
        || message.GetValues(HeaderId.Require).Exists(t => t.Equals("timer", StringComparison.OrdinalIgnoreCase));

    /// <summary>§9: a response that leaves the refreshing to the peer (refresher=uac) must Require timer.</summary>
    private void WriteSessionTimerHeaders(SipMessageWriter writer, CallLeg leg, bool response)
    {
        if (leg.SessionTimer is not { } timer)
        {
            return;
        }

        writer.WriteHeader(HeaderId.SessionExpires, response ? timer.InResponse : timer.InRequest);
        if (response && !timer.WeRefresh)
        {
            writer.WriteHeader(HeaderId.Require, "timer");
        }

        if (!response)
        {
            // §7.4: a refresh says what we support and the smallest interval we take.
            writer.WriteHeader(HeaderId.Supported, "timer");
            writer.WriteHeader(HeaderId.MinSE, _env.Options.MinSessionExpiresSeconds);
        }
    }

    private void StartLiveness()
    {
        ArmSessionTimer(_a);
        ArmSessionTimer(_b);
        if (_env.Options.MaxDurationSeconds > 0)
        {
            _maxDuration = _env.Time.CreateTimer(
                static s => ((Call)s!).OnMaxDuration(), this, TimeSpan.FromSeconds(_env.Options.MaxDurationSeconds), Timeout.InfiniteTimeSpan);
        }
    }

    private void StopLiveness()
    {
        foreach (var leg in new[] { _a, _b })
        {
            leg.AwaitingAck?.Timer.Dispose();
            leg.AwaitingAck = null;
            leg.SessionTimer?.Stop();
        }

        _maxDuration?.Dispose();
        _maxDuration = null;
    }

    private void OnMaxDuration()
    {
        Run(() =>
        {
            HangUp("max-duration");
        });
    }

    /// <summary>§13.3.1.4: our 2xx to an INVITE of this leg goes again at T1, doubling to T2, until its ACK or 64*T1.</summary>
    private void AwaitAck(CallLeg leg, ServerTransaction transaction, SipMessage response)
    {
        leg.AwaitingAck?.Timer.Dispose();
        var interval = _env.Timers.T1;
        var timer = _env.Time.CreateTimer(static s => ((LegTimer)s!).Call.RetransmitSuccess(((LegTimer)s!).Leg), new LegTimer(this, leg), interval, Timeout.InfiniteTimeSpan);
        leg.AwaitingAck = new UnacknowledgedSuccess(transaction, response, _env.Time.GetUtcNow(), interval, timer);
    }

    private void RetransmitSuccess(CallLeg leg)
    {
        Run(() =>
        {
            if (leg.AwaitingAck is not { } pending || _ended)
            {
                return;
            }

            var left = pending.SentAt + _env.Timers.TransactionTimeout - _env.Time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                // §13.3.1.4: no ACK for 64*T1: the dialog is confirmed but the session should end.
                pending.Timer.Dispose();
                leg.AwaitingAck = null;
                HangUp("no-ack");
                return;
            }

            pending.Transaction.Respond(pending.Response);
            pending.Interval = pending.Interval * 2 < _env.Timers.T2 ? pending.Interval * 2 : _env.Timers.T2;

            // The last wait is cut short so that the session ends at 64*T1, not at the retransmission after it.
            pending.Timer.Change(pending.Interval < left ? pending.Interval : left, Timeout.InfiniteTimeSpan);
        });
    }

    private void ArmSessionTimer(CallLeg leg)
    {
        if (leg.SessionTimer is not { } timer)
        {
            return;
        }

        timer.Stop();
        timer.Timer = _env.Time.CreateTimer(static s => ((LegTimer)s!).Call.OnSessionTimer(((LegTimer)s!).Leg), new LegTimer(this, leg), timer.NextDue, Timeout.InfiniteTimeSpan);
    }

    private void OnSessionTimer(CallLeg leg)
    {
        Run(() =>
        {
            if (leg.SessionTimer is not { } timer || State is not (CallState.Connected or CallState.Held))
            {
                return;
            }

            if (!timer.WeRefresh)
            {
                // §10: the refresher went quiet; the session is over.
                HangUp("session-expired");
                return;
            }

            if (_offerInFlight)
            {
                // An offer is on its way across; its answer refreshes this leg too, so look again shortly.
                timer.Timer?.Change(_env.Timers.T2, Timeout.InfiniteTimeSpan);
                return;
            }

            SendRefresh(leg, timer);
        });
    }

    /// <summary>
    /// §7.4 and §9: an UPDATE without a body where the peer allows UPDATE, else a re-INVITE with the description
    /// it already has (same o= version, so nothing changes, RFC 3264 §8).
    /// </summary>
    private void SendRefresh(CallLeg leg, SessionTimer timer)
    {
        var dialog = leg.Dialog!;
        var destination = leg.Destination!;
        var useUpdate = leg.PeerAllowsUpdate || leg.LocalSdp is null;
        var body = useUpdate ? [] : leg.LocalSdp!;
        var request = DialogRequestBuilder.Build(
            dialog,
            useUpdate ? SipMethod.Update : SipMethod.Invite,
            dialog.NextLocalCSeq(),
            _env.Via(destination.Protocol),
            _env.Contact(destination.Protocol, dialog.RemoteTarget.IsSecure),
            body,
            useUpdate ? null : "application/sdp",
            w =>
            {
                w.WriteHeader(HeaderId.Allow, AllowedInDialog);
                WriteSessionTimerHeaders(w, leg, response: false);
            });
        if (!useUpdate)
        {
            _offerInFlight = true;
        }

        timer.Stop();
        _refreshes[request] = leg;
        _env.Transactions.SendRequest(request, destination, this);
    }

    private void OnRefreshResponse(SipMessage request, CallLeg leg, int status, SipMessage? response)
    {
        if (status < 200)
        {
            return;
        }

        _refreshes.Remove(request);
        if (status < 300)
        {
            // RFC 3261 §12.2.1.2 and RFC 3311 §5.2: re-INVITE and UPDATE are target refreshes; the 2xx's Contact
            // is where this leg's requests go from now on, the ACK below included.
            leg.Dialog!.Update(response!);
        }

        if (request.Method == SipMethod.Invite)
        {
            _offerInFlight = false;
            if (status < 300)
            {
                SendAck(leg, request.CSeq!.Number, []);
            }
        }

        if (State is not (CallState.Connected or CallState.Held) || leg.SessionTimer is not { } timer)
        {
            return;
        }

        if (status < 300)
        {
            if (response!.SessionExpires is { } granted)
            {
                timer.AcceptFromPeerResponse(granted);
                ArmSessionTimer(leg);
            }
            else
            {
                // RFC 4028 §7.2: a 2xx without Session-Expires means no session expiration, even mid-dialog.
                timer.Stop();
                leg.SessionTimer = null;
            }
        }
        else if (status is 408 or 481)
        {
            HangUp("dead-leg");
        }
        else if (status == 422 && response?.MinSessionExpires is { } floor && floor > timer.Seconds)
        {
            // RFC 4028 §7.3 and §7.4: retry at once with the interval the peer asks for.
            timer.RaiseTo(floor);
            SendRefresh(leg, timer);
        }
        else
        {
            // Glare (491, §14.1) or a peer that refuses UPDATE: try again shortly, by re-INVITE if UPDATE was
            // refused. Any other refusal: try again at the next refresh time, and let the peer end the session.
            var refusedUpdate = request.Method == SipMethod.Update && status is 405 or 501;
            if (refusedUpdate)
            {
                leg.PeerAllowsUpdate = false;
            }

            var retryIn = status == 491 || refusedUpdate ? _env.Timers.T2 : timer.NextDue;
            timer.Timer = _env.Time.CreateTimer(static s => ((LegTimer)s!).Call.OnSessionTimer(((LegTimer)s!).Leg), new LegTimer(this, leg), retryIn, Timeout.InfiniteTimeSpan);
        }
    }

    private sealed record LegTimer(Call Call, CallLeg Leg);
}
