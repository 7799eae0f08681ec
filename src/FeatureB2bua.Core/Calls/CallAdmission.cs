using FeatureB2bua.Sip.Limits;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Admits new calls under <see cref="CallLimitOptions"/>: one place counts the calls in progress, in all and per
/// authenticated caller, so that a check and its count are one step (two INVITEs at once cannot both take the last
/// place). A refused INVITE gets 503 with Retry-After (RFC 3261 §21.5.4, §20.33) naming the limit, a CDR with result
/// <see cref="Result"/>, and no B-leg. <see cref="CallRegistry"/> releases each admitted call's places as it ends.
/// </summary>
public sealed partial class CallAdmission
{
    /// <summary>The CDR result and <c>b2bua_calls_total</c> result of a call refused by a limit.</summary>
    public const string Result = "limit";

    private readonly CallLimitOptions _options;
    private readonly LimitMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _bySubscriber = new(StringComparer.Ordinal);
    private int _total;

    public CallAdmission(CallLimitOptions options, LimitMetrics metrics)
    {
        _options = options;
        _metrics = metrics;
    }

    /// <summary>Takes a place for a new call by <paramref name="subscriber"/> (null for an unauthenticated, trusted source); null when admitted, else the limit it met.</summary>
    public Limit? TryAdmit(string? subscriber)
    {
        lock (_gate)
        {
            if (_options.MaxCalls > 0 && _total >= _options.MaxCalls)
            {
                return Refused(Limit.Calls);
            }

            if (subscriber is not null && _options.MaxCallsPerSubscriber > 0)
            {
                _bySubscriber.TryGetValue(subscriber, out var calls);
                if (calls >= _options.MaxCallsPerSubscriber)
                {
                    return Refused(Limit.CallsPerSubscriber);
                }

                _bySubscriber[subscriber] = calls + 1;
            }

            _total++;
            return null;
        }
    }

    /// <summary>Gives back the places of an admitted call that ended.</summary>
    public void Release(string? subscriber)
    {
        lock (_gate)
        {
            _total--;
            if (subscriber is not null && _bySubscriber.TryGetValue(subscriber, out var calls))
            {
                if (calls <= 1)
                {
                    _bySubscriber.Remove(subscriber);
                }
                else
                {
                    _bySubscriber[subscriber] = calls - 1;
                }
            }
        }
    }

    /// <summary>
    /// Writes the refused INVITE's CDR and answers it once that is committed, as every final answer that ends a call
    /// waits for its CDR (docs/durability.md); the call never starts.
    /// </summary>
    public void Refuse(ServerTransaction invite, Limit limit, CallEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(invite);
        ArgumentNullException.ThrowIfNull(env);
        var request = invite.Request;
        var reason = limit == Limit.Calls ? "Call Limit Reached" : "Subscriber Call Limit Reached";
        LimitReached(env.Logger, request.CallId, reason);
        var now = env.Time.GetUtcNow();
        env.Metrics.Ended(Result, answered: false);
        var committed = env.Records.Write(new CallRecord(request.CallId!, request.From!.Uri.Raw, request.RequestUri!.Raw, null, now, null, now, Result, 503, reason));
        _ = RespondOnceCommittedAsync(committed, invite, ResponseBuilder.Create(request, 503, reason, TagGenerator.New(), w => w.WriteHeader(HeaderId.RetryAfter, _options.RetryAfterSeconds)));
    }

    private static async Task RespondOnceCommittedAsync(Task committed, ServerTransaction invite, SipMessage response)
    {
        // The sink's tasks never fault: a CDR given up still lets the caller have its answer.
        await committed.ConfigureAwait(false);
        invite.Respond(response);
    }

    private Limit Refused(Limit limit)
    {
        _metrics.Rejected(limit);
        return limit;
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Call {CallId} refused with 503: {Reason}")]
    private static partial void LimitReached(ILogger logger, string? callId, string reason);
}
