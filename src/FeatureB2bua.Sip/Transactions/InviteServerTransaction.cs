using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>RFC 3261 §17.2.1 (Figure 7) with the Accepted state of RFC 6026 §7.1 (Figure 5).</summary>
public sealed class InviteServerTransaction : ServerTransaction
{
    private TimeSpan _timerG;

    internal InviteServerTransaction(TransactionLayer layer, TransactionKey key, SipMessage request, SipDestination destination)
        : base(layer, key, request, destination)
    {
        MoveTo(TransactionState.Proceeding);
    }

    private protected override void Step(in TransactionEvent e)
    {
        switch (State, e.Kind)
        {
            case (TransactionState.Proceeding, TransactionEventKind.Received) when e.Message!.Method == SipMethod.Invite:
                // Retransmitted INVITE: resend the latest provisional response.
                if (LastResponse is not null)
                {
                    Retransmit(LastResponse);
                }

                break;

            case (TransactionState.Proceeding, TransactionEventKind.Send):
                SendFromProceeding(e.Message!);
                break;

            case (TransactionState.Accepted, TransactionEventKind.Send) when e.Message!.StatusCode is >= 200 and < 300:
                // RFC 6026 §7.1: the TU retransmits its 2xx through the transaction until the ACK comes.
                LastResponse = e.Message;
                Transmit(e.Message);
                break;

            case (TransactionState.Accepted, TransactionEventKind.Received) when e.Message!.Method == SipMethod.Ack:
                var ack = e.Message;
                Defer(() => Layer.User.OnAck(ack));
                break;

            case (TransactionState.Accepted, TransactionEventKind.TimerFired) when e.Timer == TimerId.L:
                MoveTo(TransactionState.Terminated);
                break;

            case (TransactionState.Completed, TransactionEventKind.Received) when e.Message!.Method == SipMethod.Invite:
                Retransmit(LastResponse!);
                break;

            case (TransactionState.Completed, TransactionEventKind.Received) when e.Message!.Method == SipMethod.Ack:
                CancelRetransmit();
                MoveTo(TransactionState.Confirmed);
                ArmLifetime(TimerId.I, Reliable ? TimeSpan.Zero : Timers.T4);
                break;

            case (TransactionState.Completed, TransactionEventKind.TimerFired) when e.Timer == TimerId.G:
                Retransmit(LastResponse!);
                _timerG = Min(_timerG * 2, Timers.T2);
                ArmRetransmit(TimerId.G, _timerG);
                break;

            case (TransactionState.Completed, TransactionEventKind.TimerFired) when e.Timer == TimerId.H:
                MoveTo(TransactionState.Terminated);
                Defer(() => Layer.User.OnServerTimeout(this));
                break;

            case (TransactionState.Confirmed, TransactionEventKind.TimerFired) when e.Timer == TimerId.I:
                MoveTo(TransactionState.Terminated);
                break;

            case (_, TransactionEventKind.TransportError):
                MoveTo(TransactionState.Terminated);
                Defer(() => Layer.User.OnServerTimeout(this));
                break;

            default:
                // Everything else is absorbed: retransmitted INVITEs in Accepted, ACKs in Confirmed (§17.2.1).
                break;
        }
    }

    private void SendFromProceeding(SipMessage response)
    {
        LastResponse = response;
        Transmit(response);
        if (response.StatusCode < 200)
        {
            return;
        }

        if (response.StatusCode < 300)
        {
            MoveTo(TransactionState.Accepted);
            ArmLifetime(TimerId.L, Timers.TransactionTimeout);
            return;
        }

        MoveTo(TransactionState.Completed);
        if (!Reliable)
        {
            _timerG = Timers.T1;
            ArmRetransmit(TimerId.G, _timerG);
        }

        ArmLifetime(TimerId.H, Timers.TransactionTimeout);
    }
}
