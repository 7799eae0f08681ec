using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>RFC 3261 §17.1.1 (Figure 5) with the Accepted state of RFC 6026 §7.2 (Figure 4).</summary>
public sealed class InviteClientTransaction : ClientTransaction
{
    private TimeSpan _timerA;
    private SipMessage? _ack;

    internal InviteClientTransaction(TransactionLayer layer, TransactionKey key, SipMessage request, SipDestination destination, IClientTransactionUser user)
        : base(layer, key, request, destination, user)
    {
    }

    internal override void Start() => Handle(TransactionEvent.Fired(TimerId.A));

    private protected override void Step(in TransactionEvent e)
    {
        switch (State, e.Kind)
        {
            case (TransactionState.Calling, TransactionEventKind.TimerFired) when e.Timer == TimerId.A:
                if (_timerA == TimeSpan.Zero)
                {
                    Transmit(Request);
                    ArmLifetime(TimerId.B, Timers.TransactionTimeout);
                    _timerA = Timers.T1;
                }
                else
                {
                    Retransmit(Request);
                    _timerA *= 2;
                }

                if (!Reliable)
                {
                    ArmRetransmit(TimerId.A, _timerA);
                }

                break;

            case (TransactionState.Calling, TransactionEventKind.TimerFired) when e.Timer == TimerId.B:
                MoveTo(TransactionState.Terminated);
                ReportTimeout();
                break;

            case (TransactionState.Calling or TransactionState.Proceeding, TransactionEventKind.Received):
                OnResponse(e.Message!);
                break;

            case (TransactionState.Accepted, TransactionEventKind.Received) when e.Message!.StatusCode is >= 200 and < 300:
                // RFC 6026 §7.2: further 2xx (retransmissions or other forks) go to the TU, which ACKs them.
                PassUp(e.Message);
                break;

            case (TransactionState.Accepted, TransactionEventKind.TimerFired) when e.Timer == TimerId.M:
                MoveTo(TransactionState.Terminated);
                break;

            case (TransactionState.Completed, TransactionEventKind.Received) when e.Message!.StatusCode >= 300:
                Retransmit(_ack!);
                break;

            case (TransactionState.Completed, TransactionEventKind.TimerFired) when e.Timer == TimerId.D:
                MoveTo(TransactionState.Terminated);
                break;

            case (TransactionState.Calling or TransactionState.Proceeding, TransactionEventKind.TransportError):
                MoveTo(TransactionState.Terminated);
                ReportTransportError();
                break;

            default:
                break;
        }
    }

    private void OnResponse(SipMessage response)
    {
        if (response.StatusCode < 200)
        {
            if (State == TransactionState.Calling)
            {
                // §17.1.1.2: retransmissions stop once a provisional arrives; Timer B keeps running.
                CancelRetransmit();
                MoveTo(TransactionState.Proceeding);
            }

            PassUp(response);
            return;
        }

        CancelRetransmit();
        if (response.StatusCode < 300)
        {
            MoveTo(TransactionState.Accepted);
            ArmLifetime(TimerId.M, Timers.TransactionTimeout);
        }
        else
        {
            // §17.1.1.3: the transaction itself ACKs a non-2xx final response.
            _ack = AckBuilder.ForNonSuccess(Request, response);
            Transmit(_ack);
            MoveTo(TransactionState.Completed);
            ArmLifetime(TimerId.D, Reliable ? TimeSpan.Zero : Timers.TimerD);
        }

        PassUp(response);
    }
}
