using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>A server transaction: the transaction user answers through <see cref="Respond"/>.</summary>
public abstract class ServerTransaction : Transaction
{
    private protected ServerTransaction(TransactionLayer layer, TransactionKey key, SipMessage request, SipDestination destination)
        : base(layer, key, request, destination)
    {
    }

    /// <summary>The last response sent, for retransmission on a request retransmission.</summary>
    public SipMessage? LastResponse { get; private protected set; }

    /// <summary>Sends a response built by the transaction user (RFC 3261 §17.2: the TU passes responses down).</summary>
    public void Respond(SipMessage response) => Handle(TransactionEvent.Send(response));
}
