using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>A client transaction: responses, timeouts and transport errors go to its <see cref="IClientTransactionUser"/>.</summary>
public abstract class ClientTransaction : Transaction
{
    private protected ClientTransaction(TransactionLayer layer, TransactionKey key, SipMessage request, SipDestination destination, IClientTransactionUser user)
        : base(layer, key, request, destination)
    {
        User = user;
    }

    private protected IClientTransactionUser User { get; }

    internal abstract void Start();

    private protected void PassUp(SipMessage response) => Defer(() => User.OnResponse(this, response));

    private protected void ReportTimeout() => Defer(() => User.OnTimeout(this));

    private protected void ReportTransportError() => Defer(() => User.OnTransportError(this));
}
