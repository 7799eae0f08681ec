using FeatureB2bua.Core.Calls;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Signalling;

/// <summary>
/// Graceful drain, its rule and its course in one place; the host starts it (SIGTERM, SIGINT, <c>POST /api/drain</c>).
/// Once started the node takes no new calls: an INVITE outside any dialog gets 503 with Retry-After (RFC 3261
/// §21.5.4, §20.33), and so does an OPTIONS outside any dialog, so that a front proxy's probe (a Kamailio dispatcher,
/// say) takes the node out of its set. Requests inside the dialogs of calls in progress, their ACKs and CANCELs, and
/// REGISTER are served as before. The calls go on until they end or <see cref="DrainOptions.TimeoutSeconds"/> has
/// passed on the injected clock; then the server ends what is left itself (CDR result <see cref="TimeoutResult"/>).
/// </summary>
public sealed partial class Drain
{
    /// <summary>The CDR result of a call the server ended because the drain ran out of time.</summary>
    public const string TimeoutResult = "drain-timeout";

    private readonly CallRegistry _calls;
    private readonly DrainOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<Drain> _logger;
    private readonly Lock _gate = new();
    private volatile bool _draining;
    private Task? _course;

    public Drain(CallRegistry calls, DrainOptions options, TimeProvider time, CallMetrics metrics, ILogger<Drain> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _calls = calls;
        _options = options;
        _time = time;
        _logger = logger;
        metrics.ObserveDrain(() => _draining ? 1 : 0, () => CallsRemaining);
    }

    public bool IsDraining => _draining;

    /// <summary>The calls the drain still waits for; 0 when not draining.</summary>
    public int CallsRemaining => _draining ? _calls.ActiveCount : 0;

    /// <summary>
    /// Starts the drain, once; a later call returns the same task. It completes when no call is left: they all ended,
    /// or the timeout passed and the ones the server ended then have had their BYEs and CANCELs answered (or timed out).
    /// </summary>
    public Task StartAsync()
    {
        lock (_gate)
        {
            if (_course is null)
            {
                _draining = true;
                _course = RunAsync();
            }

            return _course;
        }
    }

    /// <summary>The drain's answer to a new request, or null when the request is served as usual.</summary>
    public SipMessage? Refusal(SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _draining && request.To?.Tag is null && request.Method is SipMethod.Invite or SipMethod.Options
            ? ResponseBuilder.Create(request, 503, "Service Unavailable", TagGenerator.New(), w => w.WriteHeader(HeaderId.RetryAfter, _options.RetryAfterSeconds))
            : null;
    }

    private async Task RunAsync()
    {
        Started(_logger, _calls.ActiveCount, _options.TimeoutSeconds);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.TimeoutSeconds), _time))
        {
            try
            {
                await _calls.WhenEmptyAsync(timeout.Token).ConfigureAwait(false);
                Drained(_logger);
                return;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
            }
        }

        var left = _calls.Active;
        TimedOut(_logger, left.Count);
        foreach (var call in left)
        {
            // 503 rather than 487 to a caller still waiting: a front proxy may try the call on another node (§16.7).
            call.Terminate(TimeoutResult, 503, "Service Unavailable");
        }

        // What is left ends as its BYEs and CANCELs are answered or time out (64*T1): the transaction timers bound this.
        await _calls.WhenEmptyAsync(CancellationToken.None).ConfigureAwait(false);
        Drained(_logger);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Draining: no new calls; waiting up to {TimeoutSeconds} s for {Calls} calls in progress")]
    private static partial void Started(ILogger logger, int calls, int timeoutSeconds);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Drain timeout: ending the {Calls} calls still in progress")]
    private static partial void TimedOut(ILogger logger, int calls);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Drained: no call in progress")]
    private static partial void Drained(ILogger logger);
}
