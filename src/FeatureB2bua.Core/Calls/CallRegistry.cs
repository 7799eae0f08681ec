using System.Collections.Concurrent;
using FeatureB2bua.Sip.Limits;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Core.Calls;

/// <summary>The calls in progress, found by either leg's Call-ID (the B-leg's is ours and unique) or by the caller's INVITE transaction (for CANCEL).</summary>
public sealed class CallRegistry
{
    private readonly ConcurrentDictionary<string, Call> _byCallId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ServerTransaction, Call> _byInvite = new();
    private readonly CallEnvironment _environment;
    private readonly CallAdmission _admission;
    private readonly Lock _emptyGate = new();
    private TaskCompletionSource? _empty;

    /// <param name="admission">The call limits; none (every call admitted) when not given.</param>
    public CallRegistry(CallEnvironment environment, CallAdmission? admission = null)
    {
        _environment = environment;
        _admission = admission ?? new CallAdmission(new CallLimitOptions(), new LimitMetrics(environment.Metrics.Meter));
        environment.Metrics.ObserveActive(() => _byInvite.Count);
    }

    public int ActiveCount => _byInvite.Count;

    public IReadOnlyList<Call> Active => [.. _byInvite.Values];

    /// <summary>Starts a call for the caller's INVITE, or refuses it with 503 when a limit is reached (null then).</summary>
    /// <param name="subscriber">The authenticated caller, counted against its own limit; null for a trusted source.</param>
    public Call? Start(ServerTransaction invite, string? subscriber = null)
    {
        if (_admission.TryAdmit(subscriber) is { } limit)
        {
            _admission.Refuse(invite, limit, _environment);
            return null;
        }

        Call call;
        try
        {
            call = new Call(_environment, invite, this) { Subscriber = subscriber };
        }
        catch
        {
            _admission.Release(subscriber);
            throw;
        }

        _byInvite[invite] = call;
        _byCallId[call.ACallId] = call;
        _ = call.StartAsync();
        return call;
    }

    /// <summary>Completes once no call is in progress (at once when none is), for a drain; a call started later is not waited for.</summary>
    public Task WhenEmptyAsync(CancellationToken cancellationToken)
    {
        lock (_emptyGate)
        {
            // Published before the check: a last call removed meanwhile either finds it and completes it, or is seen
            // gone here; checking first would let such a removal pass unseen and the wait last to its timeout.
            _empty ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.MemoryBarrier();
            if (_byInvite.IsEmpty)
            {
                _empty.TrySetResult();
                _empty = null;
                return Task.CompletedTask;
            }

            return _empty.Task.WaitAsync(cancellationToken);
        }
    }

    public Call? FindByCallId(string? callId) => callId is not null && _byCallId.TryGetValue(callId, out var call) ? call : null;

    public Call? FindByInvite(ServerTransaction invite) => _byInvite.TryGetValue(invite, out var call) ? call : null;

    internal void AddLeg(string callId, Call call) => _byCallId[callId] = call;

    internal void Remove(Call call)
    {
        if (_byInvite.TryRemove(new KeyValuePair<ServerTransaction, Call>(call.ATransaction, call)))
        {
            _admission.Release(call.Subscriber);
        }

        // The call's own Call-IDs (Start and AddLeg put nothing else here), not a scan of every call's: that was
        // O(active calls) per call end. Each goes only if it still maps to this call.
        _byCallId.TryRemove(new KeyValuePair<string, Call>(call.ACallId, call));
        for (var i = 0; i < call.BranchCount; i++)
        {
            _byCallId.TryRemove(new KeyValuePair<string, Call>(call.BranchCallId(i), call));
        }

        // Only while someone waits: IsEmpty takes every lock of the dictionary when it is empty.
        if (Volatile.Read(ref _empty) is not null && _byInvite.IsEmpty)
        {
            lock (_emptyGate)
            {
                if (_byInvite.IsEmpty)
                {
                    _empty?.TrySetResult();
                    _empty = null;
                }
            }
        }
    }
}
