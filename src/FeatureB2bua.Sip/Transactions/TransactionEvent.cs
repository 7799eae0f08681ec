using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Transactions;

public enum TransactionEventKind : byte
{
    /// <summary>A request (server) or response (client) matched to this transaction arrived.</summary>
    Received,

    /// <summary>The transaction user hands a response (server) to send.</summary>
    Send,

    TimerFired,

    TransportError,
}

/// <summary>The single input of every transaction machine (RFC 3261 §17; one event type as in pjsip).</summary>
public readonly record struct TransactionEvent(TransactionEventKind Kind, SipMessage? Message = null, TimerId Timer = default)
{
    public static TransactionEvent Received(SipMessage message) => new(TransactionEventKind.Received, message);

    public static TransactionEvent Send(SipMessage message) => new(TransactionEventKind.Send, message);

    public static TransactionEvent Fired(TimerId timer) => new(TransactionEventKind.TimerFired, Timer: timer);

    public static TransactionEvent Error => new(TransactionEventKind.TransportError);
}
