using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Limits;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>
/// <c>Limits:MaxTransactions</c>: server and client transactions open at once. Beyond it a new request is answered
/// 503 with Retry-After (RFC 3261 §21.5.4, §20.33) outside any transaction, so it costs no state; retransmissions,
/// ACKs and responses still reach the transactions they belong to, and a CANCEL still reaches its INVITE, since it
/// ends work rather than adding it.
/// </summary>
public sealed partial class TransactionLayer
{
    private readonly SipLimitOptions _limits;
    private readonly LimitMetrics _limitMetrics;

    // Kept beside the dictionaries: their Count takes every lock, too dear for each request.
    private int _open;

    /// <summary>Server and client transactions open now, as the limit counts them.</summary>
    public int OpenCount => Volatile.Read(ref _open);

    private bool RefusedOverLimit(SipMessage request)
    {
        if (request.Method == SipMethod.Cancel || Volatile.Read(ref _open) < _limits.MaxTransactions)
        {
            return false;
        }

        _limitMetrics.Rejected(Limit.Transactions);
        var refusal = ResponseBuilder.Create(request, 503, "Transaction Limit Reached", TagGenerator.New(), w => w.WriteHeader(HeaderId.RetryAfter, _limits.RetryAfterSeconds));
        SendStateless(refusal, ResponseRouting.DestinationFor(request));
        return true;
    }

    private void ObserveOpen(SipMetrics metrics) => metrics.Meter.CreateObservableGauge(
        "b2bua_sip_transactions_active",
        () => new[]
        {
            new System.Diagnostics.Metrics.Measurement<int>(_server.Count, new KeyValuePair<string, object?>("kind", "server")),
            new System.Diagnostics.Metrics.Measurement<int>(_client.Count, new KeyValuePair<string, object?>("kind", "client")),
        },
        description: "Server and client transactions open, by kind; Limits:MaxTransactions bounds their sum.");
}
