using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>RFC 3261 §17.2.2 (Figure 8).</summary>
public sealed class NonInviteServerTransaction : ServerTransaction
{
    internal NonInviteServerTransaction(TransactionLayer layer, TransactionKey key, SipMessage request, SipDestination destination)
        : base(layer, key, request, destination)
    {
        MoveTo(TransactionState.Trying);
    }

    private protected override void Step(in TransactionEvent e)
    {
        switch (State, e.Kind)
        {
            case (TransactionState.Trying or TransactionState.Proceeding, TransactionEventKind.Send):
                LastResponse = e.Message;
                Transmit(e.Message!);
                if (e.Message!.StatusCode < 200)
                {
                    MoveTo(TransactionState.Proceeding);
                }
                else
                {
                    MoveTo(TransactionState.Completed);
                    ArmLifetime(TimerId.J, Reliable ? TimeSpan.Zero : Timers.TransactionTimeout);
                }

                break;

            case (TransactionState.Proceeding or TransactionState.Completed, TransactionEventKind.Received):
                Retransmit(LastResponse!);
                break;

            case (TransactionState.Completed, TransactionEventKind.TimerFired) when e.Timer == TimerId.J:
                MoveTo(TransactionState.Terminated);
                break;

            case (_, TransactionEventKind.TransportError):
                MoveTo(TransactionState.Terminated);
                break;

            default:
                // Trying absorbs retransmissions: no response exists yet to repeat.
                break;
        }
    }
}
