using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Sdp;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Requests inside the two dialogs: BYE from either side ends both legs; re-INVITE and UPDATE carry offers across
/// (one offer/answer at a time, RFC 3261 §14 and RFC 3311 §5.2, else 491); INFO and OPTIONS are relayed; each
/// leg is ACKed hop by hop. A request is rebuilt on the other leg's dialog, so no Via, Contact or Route of one
/// side reaches the other.
/// </summary>
public sealed partial class Call
{
    /// <summary>End-to-end headers that describe the body or the INFO package (RFC 6086 §4) and so travel with it.</summary>
    private static readonly string[] RelayedHeaders = ["Content-Disposition", "Info-Package", "Recv-Info", "Subject"];

    private readonly Dictionary<SipMessage, RelayedRequest> _relays = new(ReferenceEqualityComparer.Instance);
    private bool _offerInFlight;

    /// <summary>A BYE, re-INVITE, UPDATE, INFO or OPTIONS with a To tag whose Call-ID is one of this call's.</summary>
    public void OnInDialogRequest(ServerTransaction transaction, SipMessage request)
    {
        Run(() =>
        {
            var leg = LegOf(request.CallId);
            if (leg?.Dialog is not { } dialog || request.To?.Tag != dialog.LocalTag || request.From?.Tag != dialog.RemoteTag || _ended)
            {
                transaction.Respond(ResponseBuilder.Create(request, 481, "Call/Transaction Does Not Exist", null));
                return;
            }

            if (leg.Closed)
            {
                // A BYE crossing ours is simply accepted (once the CDR is in, as our BYE would be); anything else is too late for this dialog.
                if (request.Method == SipMethod.Bye)
                {
                    AfterRecord(() => transaction.Respond(ResponseBuilder.Create(request, 200, "OK", null)));
                }
                else
                {
                    transaction.Respond(ResponseBuilder.Create(request, 481, "Call/Transaction Does Not Exist", null));
                }

                return;
            }

            if (!dialog.AcceptRemoteRequest(request))
            {
                // §12.2.2: a CSeq lower than the last one seen is out of order.
                transaction.Respond(ResponseBuilder.Create(request, 500, "CSeq Out Of Order", null));
                return;
            }

            switch (request.Method)
            {
                case SipMethod.Bye:
                    leg.Closed = true;
                    HangUp("answered");
                    SendEnding(leg, () => transaction.Respond(ResponseBuilder.Create(request, 200, "OK", null)));
                    break;
                case SipMethod.Invite or SipMethod.Update:
                    OnOffer(leg, transaction, request);
                    break;
                default:
                    if (TryAcross(leg, request, out var body, out var error))
                    {
                        Relay(leg, transaction, request, body);
                    }
                    else
                    {
                        transaction.Respond(RefuseSdp(request, null, error!));
                    }

                    break;
            }
        });
    }

    /// <summary>
    /// An ACK outside any transaction: the ACK of one of our 2xx responses (§13.3.1.4). It stops that 2xx's
    /// retransmission and, after a late offer, releases the other leg's ACK with the answer it carries.
    /// </summary>
    public void OnAck(SipMessage ack)
    {
        Run(() =>
        {
            if (LegOf(ack.CallId) is not { } leg || ack.CSeq is not { } cseq)
            {
                return;
            }

            if (leg.AwaitingAck is { } pending && pending.CSeq == cseq.Number)
            {
                pending.Timer.Dispose();
                leg.AwaitingAck = null;
            }

            if (leg.HeldAck is { } held && held.TriggerCSeq == cseq.Number)
            {
                leg.HeldAck = null;
                var answer = AcrossOrNothing(leg, ack);
                if (answer.Length > 0)
                {
                    leg.RemoteSdp = ack.Body.ToArray();
                    held.Leg.LocalSdp = answer;
                }

                SendAck(held.Leg, held.CSeq, answer, answer.Length == 0 ? null : ack.GetHeader(HeaderId.ContentType));
            }
        });
    }

    /// <summary>A re-INVITE or UPDATE: a new offer for the other leg, a session refresh we answer ourselves, or refused.</summary>
    private void OnOffer(CallLeg leg, ServerTransaction transaction, SipMessage request)
    {
        if (request.Method == SipMethod.Invite && leg.PendingInvite is not null)
        {
            // §14.2: a second INVITE before the first has its final response.
            transaction.Respond(ResponseBuilder.Create(request, 500, "Server Internal Error", null, w => w.WriteHeader(HeaderId.RetryAfter, Random.Shared.Next(0, 11))));
            return;
        }

        if (_offerInFlight)
        {
            // §14.2 and RFC 3311 §5.2: an offer while another is unanswered is glare.
            transaction.Respond(ResponseBuilder.Create(request, 491, "Request Pending", null));
            return;
        }

        if (!request.Body.IsEmpty && !SdpParser.TryParse(request.Body, out _, out var error))
        {
            // The call stays as it was: only this offer is refused (RFC 3261 §21.4.26).
            transaction.Respond(RefuseSdp(request, null, error));
            return;
        }

        if (request.SessionExpires is { } asked)
        {
            if (asked.Seconds < _env.Options.MinSessionExpiresSeconds)
            {
                // RFC 4028 §9 holds for refreshes as well as for the first INVITE.
                transaction.Respond(ResponseBuilder.Create(request, 422, "Session Interval Too Small", null, w => w.WriteHeader(HeaderId.MinSE, _env.Options.MinSessionExpiresSeconds)));
                return;
            }

            leg.SessionTimer?.AcceptFromPeerRequest(asked);
        }

        if (IsRefreshOnly(leg, request))
        {
            AnswerRefresh(leg, transaction, request);
            return;
        }

        var holds = !request.Body.IsEmpty && IsHold(request.Body);
        var music = HoldMusicFor(leg, holds);
        if (!TryAcross(leg, request, out var offer, out var refused, music is null ? HoldShaping.None : HoldShaping.MusicOffer))
        {
            transaction.Respond(RefuseSdp(request, null, refused!));
            return;
        }

        _offerInFlight = true;
        if (request.Method == SipMethod.Invite)
        {
            leg.PendingInvite = transaction;
        }

        Relay(leg, transaction, request, offer, holds, music);
    }

    /// <summary>
    /// RFC 4028 §10 refreshes need not reach the other leg: an UPDATE without a body, or a re-INVITE whose SDP
    /// has the o= line of the last one (RFC 3264 §8: an unchanged session version means no change).
    /// </summary>
    private static bool IsRefreshOnly(CallLeg leg, SipMessage request) =>
        request.Method == SipMethod.Update
            ? request.Body.IsEmpty
            : !request.Body.IsEmpty && leg.RemoteSdp is { } last && OriginLine(request.Body).SequenceEqual(OriginLine(last));

    private static ReadOnlySpan<byte> OriginLine(ReadOnlySpan<byte> sdp)
    {
        var start = sdp.IndexOf("o="u8);
        if (start < 0)
        {
            return [];
        }

        var line = sdp[start..];
        var end = line.IndexOfAny((byte)'\r', (byte)'\n');
        return end < 0 ? line : line[..end];
    }

    private void AnswerRefresh(CallLeg leg, ServerTransaction transaction, SipMessage request)
    {
        var invite = request.Method == SipMethod.Invite;
        var body = invite && leg.LocalSdp is { } sdp ? sdp : [];
        var response = ResponseBuilder.Create(request, 200, "OK", null, w => WriteDialogResponseHeaders(w, leg, request), body, body.Length > 0 ? "application/sdp" : null);
        transaction.Respond(response);
        if (invite)
        {
            AwaitAck(leg, transaction, response);
        }

        ArmSessionTimer(leg);
    }

    /// <summary>The request again, as ours, on the other leg's dialog; its final response comes back through <see cref="OnRelayResponse"/>.</summary>
    private void Relay(CallLeg leg, ServerTransaction transaction, SipMessage request, byte[] body, bool holds = false, HoldMusic? music = null)
    {
        var other = Other(leg);
        var dialog = other.Dialog!;
        var destination = other.Destination!;
        var offer = request.Method is SipMethod.Invite or SipMethod.Update;
        var relayed = DialogRequestBuilder.Build(
            dialog,
            request.Method,
            dialog.NextLocalCSeq(),
            _env.Via(destination.Protocol),
            _env.Contact(destination.Protocol, dialog.RemoteTarget.IsSecure),
            body,
            body.Length == 0 ? null : request.GetHeader(HeaderId.ContentType),
            w =>
            {
                foreach (var name in RelayedHeaders)
                {
                    if (request.GetHeader(name) is { } value)
                    {
                        w.WriteHeader(name, value);
                    }
                }

                if (offer)
                {
                    w.WriteHeader(HeaderId.Allow, AllowedInDialog);
                    WriteSessionTimerHeaders(w, other, response: false);
                }
            });
        if (request.Method != SipMethod.Invite)
        {
            leg.PendingRequests.Add(transaction);
        }

        _relays[relayed] = new RelayedRequest(leg, transaction, request, body) { Holds = holds, Music = music };
        _env.Transactions.SendRequest(relayed, destination, this);
    }

    private void OnRelayResponse(SipMessage relayed, RelayedRequest relay, int status, string reason, SipMessage? response)
    {
        var (leg, transaction, request) = (relay.From, relay.Transaction, relay.Request);
        var other = Other(leg);
        var invite = request.Method == SipMethod.Invite;
        if (status < 200)
        {
            relay.HasProvisional = true;
            if (relay.CancelWanted)
            {
                SendRelayCancel(relayed, relay);
            }
            else if (invite && status > 100 && !leg.Closed)
            {
                var early = AcrossOrNothing(other, response!);
                transaction.Respond(ResponseBuilder.Create(request, status, reason, null, null, early, early.Length == 0 ? null : response!.GetHeader(HeaderId.ContentType)));
            }

            return;
        }

        _relays.Remove(relayed);
        if (request.Method is SipMethod.Invite or SipMethod.Update)
        {
            _offerInFlight = false;
        }

        if (invite)
        {
            leg.PendingInvite = null;
        }
        else
        {
            leg.PendingRequests.Remove(transaction);
        }

        var success = status is >= 200 and < 300;
        if (success && request.Method is SipMethod.Invite or SipMethod.Update)
        {
            // Both are target refreshes (RFC 3261 §12.2.1.2, RFC 3311 §5.2).
            other.Dialog!.Update(response!);
        }

        if (success && invite)
        {
            // Every 2xx to an INVITE is ACKed, even on a call that is ending (§13.2.2.4); after a late offer the
            // ACK waits for the answer in the other side's ACK.
            if (request.Body.IsEmpty && !leg.Closed && State is CallState.Connected or CallState.Held)
            {
                leg.HeldAck = new DeferredAck(other, response!.CSeq!.Number, request.CSeq!.Number);
            }
            else
            {
                SendAck(other, response!.CSeq!.Number, []);
            }
        }

        if (leg.Closed || State is not (CallState.Connected or CallState.Held))
        {
            // The call ended meanwhile and the request had its 487 then (§15.1.2).
            return;
        }

        if (!success)
        {
            transaction.Respond(ResponseBuilder.Create(request, status, reason, null, w => CopyIfPresent(w, response, HeaderId.RetryAfter, HeaderId.Warning)));
            if (status is 408 or 481)
            {
                // §12.2.1.2: the other leg's dialog is gone; so is the call.
                HangUp("dead-leg");
            }

            return;
        }

        if (!TryAcross(other, response!, out var answerBody, out var badAnswer, relay.Music is null ? HoldShaping.None : HoldShaping.HolderAnswer))
        {
            // The other party accepted with SDP that cannot be anchored: the offerer hears 488, and a session whose
            // media can no longer be relayed is hung up.
            transaction.Respond(RefuseSdp(request, null, badAnswer!));
            HangUp("bad-sdp");
            return;
        }

        if (request.Method is SipMethod.Invite or SipMethod.Update)
        {
            NoteAcceptedOffer(leg, other, relay, response!, answerBody);
        }

        var answer = ResponseBuilder.Create(
            request, status, reason, null, w => WriteDialogResponseHeaders(w, leg, request), answerBody, answerBody.Length == 0 ? null : response!.GetHeader(HeaderId.ContentType));
        transaction.Respond(answer);
        if (invite)
        {
            AwaitAck(leg, transaction, answer);
        }
    }

    /// <summary>An offer from <paramref name="leg"/> accepted by <paramref name="other"/>: both sessions are refreshed, and hold follows the offer.</summary>
    private void NoteAcceptedOffer(CallLeg leg, CallLeg other, RelayedRequest relay, SipMessage response, byte[] answerBody)
    {
        var request = relay.Request;
        if (!request.Body.IsEmpty)
        {
            leg.RemoteSdp = request.Body.ToArray();
            other.LocalSdp = relay.SentBody;
            NoteHold(leg, relay.Holds, relay.Music);
        }

        if (!response.Body.IsEmpty)
        {
            other.RemoteSdp = response.Body.ToArray();
            leg.LocalSdp = answerBody;
        }

        if (response.SessionExpires is { } granted)
        {
            other.SessionTimer?.AcceptFromPeerResponse(granted);
        }
        else if (other.SessionTimer is { } dropped)
        {
            // RFC 4028 §7.2: a 2xx without Session-Expires means that leg has no session expiry any more.
            dropped.Stop();
            other.SessionTimer = null;
        }

        ArmSessionTimer(leg);
        ArmSessionTimer(other);
    }

    /// <summary>Contact, Allow and the leg's session timer on our 2xx to a request of that leg.</summary>
    private void WriteDialogResponseHeaders(SipMessageWriter writer, CallLeg leg, SipMessage request)
    {
        writer.WriteHeader(HeaderId.Contact, _env.Contact(request.Source!.Protocol, request.RequestUri!.IsSecure));
        if (request.Method is SipMethod.Invite or SipMethod.Update)
        {
            writer.WriteHeader(HeaderId.Allow, AllowedInDialog);
            WriteSessionTimerHeaders(writer, leg, response: true);
        }
    }

    private static void CopyIfPresent(SipMessageWriter writer, SipMessage? from, params HeaderId[] ids)
    {
        foreach (var id in ids)
        {
            if (from?.GetHeader(id) is { } value)
            {
                writer.WriteHeader(id, value);
            }
        }
    }

    /// <summary>The call ends itself or on a BYE: pending requests get 487 (§15.1.2), every open leg gets BYE.</summary>
    private void HangUp(string result)
    {
        if (State is not (CallState.Connected or CallState.Held))
        {
            return;
        }

        _endResult = result;
        Conclude(result, 200, null);
        _machine.Fire(CallTrigger.HangUp);
        StopLiveness();
        foreach (var leg in new[] { _a, _b })
        {
            if (leg.PendingInvite is { } pendingInvite)
            {
                pendingInvite.Respond(ResponseBuilder.Create(pendingInvite.Request, 487, "Request Terminated", null));
                leg.PendingInvite = null;
            }

            foreach (var pending in leg.PendingRequests)
            {
                pending.Respond(ResponseBuilder.Create(pending.Request, 487, "Request Terminated", null));
            }

            leg.PendingRequests.Clear();
            SendBye(leg);
        }

        TryFinish();
    }

    private void SendAck(CallLeg leg, uint cseq, ReadOnlySpan<byte> body, string? contentType = null)
    {
        var destination = leg.Destination!;
        var ack = DialogRequestBuilder.Build(leg.Dialog!, SipMethod.Ack, cseq, _env.Via(destination.Protocol), _env.Contact(destination.Protocol, leg.Dialog!.RemoteTarget.IsSecure), body, contentType);
        leg.LastAck = ack;
        _env.Transactions.SendStateless(ack, destination);
    }

    /// <summary>A request of <see cref="From"/>'s relayed to the other leg, waiting for that leg's answer.</summary>
    private sealed class RelayedRequest(CallLeg from, ServerTransaction transaction, SipMessage request, byte[] sentBody)
    {
        /// <summary>The body as we sent it on the other leg (after the media session).</summary>
        public byte[] SentBody { get; } = sentBody;

        public CallLeg From { get; } = from;

        public ServerTransaction Transaction { get; } = transaction;

        public SipMessage Request { get; } = request;

        /// <summary>The other leg sent a provisional response, so a CANCEL may follow (RFC 3261 §9.1).</summary>
        public bool HasProvisional { get; set; }

        /// <summary>The sender cancelled before any provisional response; the CANCEL goes when one arrives.</summary>
        public bool CancelWanted { get; set; }

        /// <summary>The offer puts the other party on hold (RFC 3264 §8.4), read once when it came.</summary>
        public bool Holds { get; init; }

        /// <summary>The offer holds the other party and a feature plays it music once the answer is in.</summary>
        public HoldMusic? Music { get; init; }
    }
}
