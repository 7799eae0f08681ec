using System.Text;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Routing;

/// <summary>
/// Every probe interval, sends an OPTIONS through the transaction layer to each upstream and tells
/// <see cref="UpstreamHealth"/> how it went. An upstream has at most one probe out at a time: a silent one keeps
/// its transaction until Timer F (64*T1, RFC 3261 §17.1.2.2), longer than the default interval, and later rounds
/// skip it instead of piling up transactions, so silence is noticed once per Timer F.
/// </summary>
public sealed partial class UpstreamProber : IDisposable
{
    private readonly UpstreamHealth _health;
    private readonly TransactionLayer _transactions;
    private readonly Func<TransportProtocol, string?> _sentBy;
    private readonly string _domain;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Probe[] _probes;
    private ITimer? _timer;

    public UpstreamProber(
        UpstreamHealth health,
        TransactionLayer transactions,
        Func<TransportProtocol, string?> sentBy,
        string domain,
        TimeSpan interval,
        TimeProvider time,
        ILogger<UpstreamProber> logger)
    {
        _health = health;
        _transactions = transactions;
        _sentBy = sentBy;
        _domain = domain;
        _interval = interval;
        _time = time;
        _logger = logger;
        _probes = [.. health.Upstreams
            .Select(key => SipUri.TryParse(Encoding.UTF8.GetBytes(key), out var uri) && uri!.IsSip ? new Probe(this, key, uri) : null)
            .OfType<Probe>()];
    }

    /// <summary>Starts the rounds, the first one interval from now; an interval of zero means no probing.</summary>
    public void Start()
    {
        if (_interval > TimeSpan.Zero && _probes.Length > 0)
        {
            _timer = _time.CreateTimer(static state => ((UpstreamProber)state!).ProbeAll(), this, _interval, _interval);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>One round: an OPTIONS to every upstream that has no probe out.</summary>
    private void ProbeAll()
    {
        foreach (var probe in _probes)
        {
            if (probe.TryBegin())
            {
                _ = probe.SendAsync();
            }
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Probing upstream {Upstream} failed")]
    private static partial void ProbeFailed(ILogger logger, Exception exception, string upstream);

    /// <summary>One upstream's probe: its in-flight flag, and the user of its client transactions.</summary>
    private sealed class Probe(UpstreamProber owner, string key, SipUri uri) : IClientTransactionUser
    {
        private int _inFlight;

        public bool TryBegin() => Interlocked.CompareExchange(ref _inFlight, 1, 0) == 0;

        public async Task SendAsync()
        {
            try
            {
                // Resolved each round: a host name may move (RFC 3263 §4, without NAPTR and SRV).
                if (await NextHopResolver.ResolveAsync(uri).ConfigureAwait(false) is not { } destination)
                {
                    Finish(() => owner._health.ProbeUnanswered(key, "unresolvable"));
                    return;
                }

                if (owner._sentBy(destination.Protocol) is not { } sentBy)
                {
                    Finish(() => owner._health.ProbeUnanswered(key, $"no {destination.Protocol} listen point"));
                    return;
                }

                owner._transactions.SendRequest(ProbeRequestBuilder.Build(uri, destination.Protocol, sentBy, owner._domain), destination, this);
            }
            catch (Exception ex)
            {
                ProbeFailed(owner._logger, ex, key);
                Finish(() => owner._health.ProbeUnanswered(key, "not sent"));
            }
        }

        public void OnResponse(ClientTransaction transaction, SipMessage response)
        {
            if (response.StatusCode >= 200)
            {
                Finish(() => owner._health.ProbeAnswered(key, response.StatusCode, response.ReasonPhrase));
            }
        }

        public void OnTimeout(ClientTransaction transaction) => Finish(() => owner._health.ProbeUnanswered(key, "timeout"));

        public void OnTransportError(ClientTransaction transaction) => Finish(() => owner._health.ProbeUnanswered(key, "transport error"));

        /// <summary>Records the result before the next round may start a probe, so results land in order.</summary>
        private void Finish(Action record)
        {
            record();
            Volatile.Write(ref _inFlight, 0);
        }
    }
}
