using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>The layer above transactions (RFC 3261 §17): the UA core, and for us the B2BUA.</summary>
public interface ITransactionUser
{
    /// <summary>A new request with its server transaction (never a retransmission).</summary>
    void OnRequest(ServerTransaction transaction, SipMessage request);

    /// <summary>An ACK that matched no transaction: the ACK of a 2xx belongs to the dialog (§17.1.1.3, §13.3.1.4).</summary>
    void OnAck(SipMessage ack);

    /// <summary>A response matching no client transaction, such as a 2xx retransmitted after the transaction ended (§17.1.1.2).</summary>
    void OnStrayResponse(SipMessage response);

    /// <summary>An INVITE server transaction ended by Timer H: the ACK never came (§17.2.1).</summary>
    void OnServerTimeout(ServerTransaction transaction);
}
