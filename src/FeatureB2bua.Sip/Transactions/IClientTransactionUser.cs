using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>Who is told what a client transaction learned (RFC 3261 §17.1).</summary>
public interface IClientTransactionUser
{
    void OnResponse(ClientTransaction transaction, SipMessage response);

    /// <summary>Timer B or F fired: treated as a 408 by the TU (§8.1.3.1).</summary>
    void OnTimeout(ClientTransaction transaction);

    /// <summary>The transport failed (§17.1.4): treated as a 503 by the TU (§8.1.3.1).</summary>
    void OnTransportError(ClientTransaction transaction);
}
