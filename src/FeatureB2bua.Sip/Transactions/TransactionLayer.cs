using System.Collections.Concurrent;
using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Limits;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>
/// Matches messages to transactions (RFC 3261 §17.1.3, §17.2.3), creates server transactions for new
/// requests and client transactions for the TU's requests, and keeps them until they terminate.
/// </summary>
public sealed partial class TransactionLayer
{
    private readonly ConcurrentDictionary<TransactionKey, ServerTransaction> _server = new();
    private readonly ConcurrentDictionary<TransactionKey, ClientTransaction> _client = new();
    private readonly ConcurrentDictionary<MergeKey, TransactionKey> _byRequestIds = new();
    private readonly ILogger _logger;
    private ITransactionUser? _user;

    public TransactionLayer(ISipSender sender, TimeProvider time, SipTimerOptions timers, SipMetrics metrics, ILogger<TransactionLayer> logger, SipLimitOptions? limits = null)
    {
        Sender = sender;
        Time = time;
        Timers = timers;
        Metrics = metrics;
        _logger = logger;
        _limits = limits ?? new SipLimitOptions();
        _limitMetrics = new LimitMetrics(metrics.Meter);
        ObserveOpen(metrics);
    }

    /// <summary>Set once, at start: the TU and the layer refer to each other.</summary>
    public ITransactionUser User
    {
        get => _user ?? throw new InvalidOperationException("No transaction user attached.");
        set => _user = value;
    }

    public int ServerCount => _server.Count;

    public int ClientCount => _client.Count;

    internal ISipSender Sender { get; }

    internal TimeProvider Time { get; }

    internal SipTimerOptions Timers { get; }

    internal SipMetrics Metrics { get; }

    /// <summary>A fresh branch with the RFC 3261 magic cookie (§8.1.1.7).</summary>
    public static string NewBranch() => ViaHeader.MagicCookie + TagGenerator.New();

    /// <summary>A request that passed validation. Retransmissions go to their transaction; new requests up to the TU.</summary>
    public void ReceiveRequest(SipMessage request)
    {
        if (TransactionKey.ForServer(request) is not { } key)
        {
            Metrics.Dropped("unmatchable");
            return;
        }

        if (_server.TryGetValue(key, out var existing))
        {
            existing.Handle(TransactionEvent.Received(request));
            return;
        }

        if (request.Method == SipMethod.Ack)
        {
            RunUpcall(() => User.OnAck(request));
            return;
        }

        if (RefusedOverLimit(request))
        {
            return;
        }

        var destination = ResponseRouting.DestinationFor(request);
        ServerTransaction transaction = request.Method == SipMethod.Invite
            ? new InviteServerTransaction(this, key, request, destination)
            : new NonInviteServerTransaction(this, key, request, destination);
        if (!_server.TryAdd(key, transaction))
        {
            _server[key].Handle(TransactionEvent.Received(request));
            return;
        }

        Interlocked.Increment(ref _open);
        _byRequestIds.TryAdd(MergeKey.For(request), key);
        if (transaction is InviteServerTransaction)
        {
            // Sent at once rather than after 200 ms (§17.2.1 allows either): it stops the caller's Timer A early.
            transaction.Respond(ResponseBuilder.Create(request, 100, "Trying"));
        }

        RunUpcall(() => User.OnRequest(transaction, request));
    }

    public void ReceiveResponse(SipMessage response)
    {
        if (TransactionKey.ForClient(response) is { } key && _client.TryGetValue(key, out var transaction))
        {
            transaction.Handle(TransactionEvent.Received(response));
            return;
        }

        RunUpcall(() => User.OnStrayResponse(response));
    }

    /// <summary>Starts a client transaction; the request carries a top Via with a fresh branch.</summary>
    public ClientTransaction SendRequest(SipMessage request, SipDestination destination, IClientTransactionUser user)
    {
        var key = TransactionKey.ForClient(request) ?? throw new ArgumentException("The request needs a Via branch and a CSeq.", nameof(request));
        ClientTransaction transaction = request.Method == SipMethod.Invite
            ? new InviteClientTransaction(this, key, request, destination, user)
            : new NonInviteClientTransaction(this, key, request, destination, user);
        if (!_client.TryAdd(key, transaction))
        {
            throw new InvalidOperationException("A client transaction with branch " + key.Branch + " exists already.");
        }

        Interlocked.Increment(ref _open);
        transaction.Start();
        return transaction;
    }

    /// <summary>
    /// Sends outside any transaction: the ACK of a 2xx (§13.2.2.4, §17.1.1.3). A lost one is repaired by the
    /// peer's 2xx retransmission, which is ACKed again, so the outcome is not waited for.
    /// </summary>
    public void SendStateless(SipMessage message, SipDestination destination)
    {
        var pending = Sender.SendAsync(message.Raw, destination);
        if (!pending.IsCompleted)
        {
            _ = pending.AsTask();
        }
    }

    /// <summary>RFC 3261 §9.2: the INVITE a CANCEL refers to has the CANCEL's branch and sent-by.</summary>
    public InviteServerTransaction? FindInviteForCancel(SipMessage cancel)
    {
        if (TransactionKey.ForServer(cancel) is not { } key)
        {
            return null;
        }

        var inviteKey = key with { Method = SipMethods.GetName(SipMethod.Invite) };
        return _server.TryGetValue(inviteKey, out var transaction) ? transaction as InviteServerTransaction : null;
    }

    /// <summary>
    /// RFC 3261 §8.2.2.2: a request without a To tag whose From tag, Call-ID and CSeq match a transaction it
    /// does not belong to arrived twice by different paths (a fork that came back) and gets 482.
    /// </summary>
    public bool IsMergedRequest(ServerTransaction transaction)
    {
        var request = transaction.Request;
        return request.To?.Tag is null
            && _byRequestIds.TryGetValue(MergeKey.For(request), out var owner)
            && owner != transaction.Key;
    }

    internal void Remove(Transaction transaction)
    {
        switch (transaction)
        {
            case ServerTransaction server:
                if (_server.TryRemove(new KeyValuePair<TransactionKey, ServerTransaction>(server.Key, server)))
                {
                    Interlocked.Decrement(ref _open);
                }

                _byRequestIds.TryRemove(new KeyValuePair<MergeKey, TransactionKey>(MergeKey.For(server.Request), server.Key));
                break;
            case ClientTransaction client:
                if (_client.TryRemove(new KeyValuePair<TransactionKey, ClientTransaction>(client.Key, client)))
                {
                    Interlocked.Decrement(ref _open);
                }

                break;
        }
    }

    /// <summary>No exception from the TU ever reaches a timer thread or a receive loop.</summary>
    internal void RunUpcall(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            TransactionLog.UpcallFailed(_logger, ex);
        }
    }

    private readonly record struct MergeKey(string? CallId, string? FromTag, uint CSeq, string Method)
    {
        public static MergeKey For(SipMessage request) =>
            new(request.CallId, request.From?.Tag, request.CSeq?.Number ?? 0, request.CSeq?.MethodName ?? string.Empty);
    }
}
