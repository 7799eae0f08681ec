using System.Net.Sockets;
using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Limits;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Sip.Stack;

/// <summary>
/// The bottom of the stack's data flow: transports hand packets here; each is parsed, judged and passed to the
/// transaction layer. A malformed request is answered statelessly with 400 (or 505) when its Via can be read,
/// and anything else malformed is dropped and counted (RFC 3261 §16.3, §18.1.2, §18.2.1).
/// </summary>
public sealed class SipStack : IPacketSink, ISipSender, IAsyncDisposable
{
    private readonly IReadOnlyList<ISipTransport> _transports;
    private readonly SipMetrics _metrics;
    private readonly ILogger<SipStack> _logger;
    private readonly ParseLimits _parseLimits;
    private readonly LimitMetrics _limitMetrics;
    private readonly IRequestGate? _gate;
    private volatile bool _listening;

    public SipStack(IEnumerable<ISipTransport> transports, TimeProvider time, SipTimerOptions timers, SipMetrics metrics, ILoggerFactory loggers, SipLimitOptions? limits = null, IRequestGate? gate = null)
    {
        limits ??= new SipLimitOptions();
        limits.Validate();
        _transports = [.. transports];
        _metrics = metrics;
        _gate = gate;
        _logger = loggers.CreateLogger<SipStack>();
        _parseLimits = limits.Parse;
        _limitMetrics = new LimitMetrics(metrics.Meter);
        Transactions = new TransactionLayer(this, time, timers, metrics, loggers.CreateLogger<TransactionLayer>(), limits);
    }

    public TransactionLayer Transactions { get; }

    public IReadOnlyList<ISipTransport> Transports => _transports;

    /// <summary>Where every message in and out is also shown (the console's SIP trace); none by default.</summary>
    public ISipTap? Tap { get; init; }

    /// <summary>Every listen point is bound and receiving: from a successful <see cref="Start"/> until <see cref="DisposeAsync"/>.</summary>
    public bool IsListening => _listening;

    public void Start(ITransactionUser user)
    {
        Transactions.User = user;
        foreach (var transport in _transports)
        {
            transport.Start(this);
            StackLog.Listening(_logger, transport.ListenPoint.Protocol, transport.LocalEndPoint);
        }

        _listening = true;
    }

    public void OnPacket(in ReceivedPacket packet)
    {
        var data = packet.Data.Span;
        if (_gate is not null && !data.StartsWith("SIP/2.0 "u8) && !_gate.Admits(packet.Remote.Address))
        {
            return;
        }

        var message = SipParser.Parse(data, _parseLimits, out var rejection);
        if (message is null)
        {
            _metrics.Dropped("unparseable");
            return;
        }

        message.Source = new MessageSource(packet.Protocol, packet.Remote, packet.Local, packet.Connection);
        if (_gate is not null && message.IsRequest && !PassesGate(message))
        {
            return;
        }

        Tap?.Received(data, packet.Protocol, packet.Local, packet.Remote);
        if (!rejection.IsRejected)
        {
            rejection = SipMessageValidator.Validate(message);
        }

        if (message.IsResponse)
        {
            if (rejection.IsRejected)
            {
                // §18.1.2: a malformed response is discarded; nobody can be told (RFC 4475 §3.1.2.5, §3.1.2.19).
                _metrics.Dropped("bad_response");
                return;
            }

            _metrics.Response(message.StatusCode, "in");
            Transactions.ReceiveResponse(message);
            return;
        }

        if (rejection.IsRejected)
        {
            Reject(message, rejection);
            return;
        }

        _metrics.Request(message.Method);
        Transactions.ReceiveRequest(message);
    }

    public ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> message, SipDestination destination)
    {
        var transport = FindTransport(destination.Protocol, destination.EndPoint.AddressFamily);
        if (transport is null)
        {
            return ValueTask.FromResult(SendResult.NoTransport);
        }

        var span = message.Span;
        Tap?.Sent(span, destination.Protocol, transport.LocalEndPoint, destination.EndPoint);
        if (span.StartsWith("SIP/2.0 "u8) && span.Length > 9)
        {
            _metrics.Response((span[8] - '0') * 100, "out");
        }

        return transport.SendAsync(message, destination.EndPoint, destination.Connection, CancellationToken.None);
    }

    /// <summary>Our sent-by for a Via on this transport (<c>192.0.2.1:5060</c>); null when no transport of that kind is bound.</summary>
    public string? SentBy(TransportProtocol protocol, AddressFamily family = AddressFamily.InterNetwork)
    {
        var endPoint = FindTransport(protocol, family)?.LocalEndPoint;
        return endPoint is null ? null : endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : endPoint.ToString();
    }

    /// <summary>The transport a request to this destination would leave by, for its Via sent-by and Contact.</summary>
    public ISipTransport? FindTransport(TransportProtocol protocol, AddressFamily family)
    {
        ISipTransport? fallback = null;
        foreach (var transport in _transports)
        {
            if (transport.ListenPoint.Protocol != protocol)
            {
                continue;
            }

            if (transport.LocalEndPoint.AddressFamily == family)
            {
                return transport;
            }

            fallback ??= transport;
        }

        return fallback;
    }

    public async ValueTask DisposeAsync()
    {
        _listening = false;
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A datagram over <c>Sip:Transport:MaxMessageSize</c>: a request whose Via can be read gets 513 Message Too Large
    /// (RFC 3261 §21.5.11); anything else was dropped and counted by the transport already.
    /// </summary>
    public void OnOversize(in ReceivedPacket packet)
    {
        if (_gate is not null && !_gate.Admits(packet.Remote.Address))
        {
            return;
        }

        if (SipParser.Parse(packet.Data.Span, _parseLimits, out _) is { IsRequest: true, TopVia: not null } request && request.Method != SipMethod.Ack)
        {
            request.Source = new MessageSource(packet.Protocol, packet.Remote, packet.Local, packet.Connection);
            Reject(request, new SipRejection(SipRejectReason.MessageTooLarge));
        }
    }

    /// <summary>Before validation, so a flood of malformed requests costs no 400s either.</summary>
    private bool PassesGate(SipMessage request)
    {
        var verdict = _gate!.Judge(request, request.Source!.Remote.Address);
        if (verdict.Action == GateAction.Pass)
        {
            return true;
        }

        // An ACK is never answered (§17.2.3), and without a Via there is nowhere to answer.
        if (verdict.Action == GateAction.Busy && request.Method != SipMethod.Ack && request.TopVia is not null)
        {
            var response = ResponseBuilder.Create(request, 503, "Service Unavailable", TagGenerator.New(), w => w.WriteHeader(HeaderId.RetryAfter, verdict.RetryAfterSeconds));
            _ = SendAsync(response.Raw, ResponseRouting.DestinationFor(request)).AsTask();
        }

        return false;
    }

    private void Reject(SipMessage request, SipRejection rejection)
    {
        if (rejection.Reason is SipRejectReason.TooManyHeaders or SipRejectReason.TooManyVias)
        {
            _limitMetrics.Rejected(rejection.Reason == SipRejectReason.TooManyVias ? Limit.Vias : Limit.Headers);
        }

        if (request.TopVia is null || request.Method == SipMethod.Ack)
        {
            // Without a readable Via there is nowhere to answer; an ACK is never answered (§17.2.3).
            _metrics.Dropped("malformed_request");
            StackLog.Dropped(_logger, request.Source!.Remote, rejection.ReasonPhrase);
            return;
        }

        _metrics.Rejected();
        StackLog.Rejected(_logger, request.Source!.Remote, rejection.StatusCode, rejection.ReasonPhrase);
        var response = ResponseBuilder.Create(request, rejection.StatusCode, rejection.ReasonPhrase, toTag: TagGenerator.New());
        _ = SendAsync(response.Raw, ResponseRouting.DestinationFor(request)).AsTask();
    }
}
