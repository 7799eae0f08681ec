using FeatureB2bua.Core.Routing;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Calls;

/// <summary>What every call needs from the server: the transaction layer, our addresses, routing, the features and our subscribers, the clock, where CDRs go and what is counted.</summary>
public sealed class CallEnvironment(
    TransactionLayer transactions,
    Func<TransportProtocol, string?> sentBy,
    CallRouter router,
    Features.CallFeatureChain features,
    Subscribers.SubscriberLookup subscribers,
    CallPresence presence,
    TimeProvider time,
    SipTimerOptions timers,
    CallOptions options,
    ICallRecordSink records,
    IMediaSessionFactory media,
    CallMetrics metrics,
    ILogger logger)
{
    public TransactionLayer Transactions { get; } = transactions;

    public CallRouter Router { get; } = router;

    public Features.CallFeatureChain Features { get; } = features;

    /// <summary>Which parties of a call are our subscribers, for the features' settings.</summary>
    public Subscribers.SubscriberLookup Subscribers { get; } = subscribers;

    public CallPresence Presence { get; } = presence;

    public TimeProvider Time { get; } = time;

    public SipTimerOptions Timers { get; } = timers;

    public CallOptions Options { get; } = options;

    public ICallRecordSink Records { get; } = records;

    public IMediaSessionFactory Media { get; } = media;

    public CallMetrics Metrics { get; } = metrics;

    public ILogger Logger { get; } = logger;

    /// <summary>Who hears of each call's start, B-legs, state changes and end (the console).</summary>
    public CallObservers Observers { get; init; } = CallObservers.None;

    public string Via(TransportProtocol protocol) => ViaHeader.Ours(protocol, SentBy(protocol));

    /// <summary>
    /// Our Contact on a leg. A request or dialog whose target is a sips: URI gets a sips: Contact (RFC 3261 §8.1.1.8,
    /// §12.1.1), which is only ever sent on TLS; other TLS legs say <c>transport=tls</c> so the peer comes back on TLS.
    /// </summary>
    public string Contact(TransportProtocol protocol, bool secure = false) => protocol switch
    {
        TransportProtocol.Udp => $"<sip:b2bua@{SentBy(protocol)}>",
        TransportProtocol.Tls when secure => $"<sips:b2bua@{SentBy(protocol)}>",
        _ => $"<sip:b2bua@{SentBy(protocol)};transport={protocol.ToString().ToLowerInvariant()}>",
    };

    private string SentBy(TransportProtocol protocol) => sentBy(protocol) ?? throw new InvalidOperationException($"No {protocol} listen point to send from.");
}
