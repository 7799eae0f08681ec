using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>RFC 3261 §17.1.2 (Figure 6).</summary>
public sealed class NonInviteClientTransaction : ClientTransaction
{
    private TimeSpan _timerE;

    internal NonInviteClientTransaction(TransactionLayer layer, TransactionKey key, SipMessage request, SipDestination destination, IClientTransactionUser user)
        : base(layer, key, request, destination, user)
    {
        MoveTo(TransactionState.Trying);
    }

    internal override void Start() => Handle(TransactionEvent.Fired(TimerId.E));

    private protected override void Step(in TransactionEvent e)
    {
        switch (State, e.Kind)
        {
            case (TransactionState.Trying or TransactionState.Proceeding, TransactionEventKind.TimerFired) when e.Timer == TimerId.E:
                if (_timerE == TimeSpan.Zero)
                {
                    Transmit(Request);
                    ArmLifetime(TimerId.F, Timers.TransactionTimeout);
                    _timerE = Timers.T1;
                }
                else
                {
                    Retransmit(Request);
                    // §17.1.2.2: doubling up to T2 while Trying, T2 flat once Proceeding.
                    _timerE = State == TransactionState.Proceeding ? Timers.T2 : Min(_timerE * 2, Timers.T2);
                }

                if (!Reliable)
                {
                    ArmRetransmit(TimerId.E, _timerE);
                }

                break;

            case (TransactionState.Trying or TransactionState.Proceeding, TransactionEventKind.TimerFired) when e.Timer == TimerId.F:
                MoveTo(TransactionState.Terminated);
                ReportTimeout();
                break;

            case (TransactionState.Trying or TransactionState.Proceeding, TransactionEventKind.Received):
                if (e.Message!.StatusCode < 200)
                {
                    MoveTo(TransactionState.Proceeding);
                }
                else
                {
                    CancelRetransmit();
                    MoveTo(TransactionState.Completed);
                    ArmLifetime(TimerId.K, Reliable ? TimeSpan.Zero : Timers.T4);
                }

                PassUp(e.Message);
                break;

            case (TransactionState.Completed, TransactionEventKind.TimerFired) when e.Timer == TimerId.K:
                MoveTo(TransactionState.Terminated);
                break;

            case (TransactionState.Trying or TransactionState.Proceeding, TransactionEventKind.TransportError):
                MoveTo(TransactionState.Terminated);
                ReportTransportError();
                break;

            default:
                // Completed absorbs retransmitted final responses.
                break;
        }
    }
}
