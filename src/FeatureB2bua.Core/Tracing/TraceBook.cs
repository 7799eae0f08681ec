using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Core.Tracing;

/// <summary>
/// The traces of the calls in progress and of the last <c>endedCalls</c> ended ones, filed from the trace queue by
/// one background reader and read by the console. Messages are matched to a call and leg by Call-ID: the A-leg's is
/// the call's key, each B-leg's is learnt from the call's own event before its INVITE. A call's first messages
/// arrive before the call exists (its INVITE, our 100, a 407 challenge and its ACK): INVITE, ACK and CANCEL traffic
/// of an unknown Call-ID is held aside, at most <see cref="MaxUnclaimed"/> Call-IDs, until a call claims it.
/// The oldest ended call goes first; a call in progress is never evicted.
/// </summary>
public sealed class TraceBook(int endedCalls, int messagesPerCall)
{
    /// <summary>Call-IDs with messages but no call yet: challenged or refused INVITEs, and calls about to start.</summary>
    public const int MaxUnclaimed = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (CallTrace Trace, string Leg)> _byCallId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallTrace> _active = new(StringComparer.Ordinal);
    private readonly Queue<CallTrace> _ended = new();
    private readonly OrderedDictionary<string, CallTrace> _unclaimed = new(StringComparer.Ordinal);

    /// <summary>Files one queue entry; for a message filed to a call, returns the call's A-leg Call-ID and its message count.</summary>
    public (string CallId, long Messages)? File(in TraceEntry entry)
    {
        lock (_gate)
        {
            switch (entry.Kind)
            {
                case TraceEntryKind.CallStarted:
                    Start(entry.CallId!, entry.First!, entry.Second!, entry.At);
                    return null;
                case TraceEntryKind.BranchStarted:
                    if (_active.TryGetValue(entry.CallId!, out var call))
                    {
                        _byCallId[entry.First!] = (call, call.AddBranch(entry.First!, entry.Second!, entry.Forwarded));
                    }

                    return null;
                case TraceEntryKind.CallEnded:
                    End(entry.CallId!, entry.First!, entry.At);
                    return null;
                default:
                    return FileMessage(entry);
            }
        }
    }

    /// <summary>Every call in progress and every kept ended call, newest first.</summary>
    public IReadOnlyList<TraceSummary> List()
    {
        lock (_gate)
        {
            return [.. _active.Values.Concat(_ended).Select(t => t.Summary()).OrderByDescending(s => s.StartedAt)];
        }
    }

    /// <summary>The trace of the call whose A-leg Call-ID is <paramref name="callId"/>, if it is kept.</summary>
    public CallTraceView? Find(string callId)
    {
        lock (_gate)
        {
            return _byCallId.TryGetValue(callId, out var found) && found.Leg == "A" && found.Trace.Claimed ? found.Trace.View() : null;
        }
    }

    private (string CallId, long Messages)? FileMessage(in TraceEntry entry)
    {
        var message = SipParser.Parse(entry.Message, out _);
        if (message?.CallId is not { } callId || message.CSeq is not { } cseq)
        {
            return null;
        }

        if (!_byCallId.TryGetValue(callId, out var found))
        {
            if (cseq.Method is not (SipMethod.Invite or SipMethod.Ack or SipMethod.Cancel))
            {
                // Registrations, probes and everything else that is no call's.
                return null;
            }

            found = (new CallTrace(callId, messagesPerCall), "A");
            _byCallId[callId] = found;
            _unclaimed.Add(callId, found.Trace);
            if (_unclaimed.Count > MaxUnclaimed)
            {
                Forget(_unclaimed.GetAt(0).Value);
                _unclaimed.RemoveAt(0);
            }
        }

        found.Trace.Add(found.Leg, Describe(entry, message, found.Trace.Seen, found.Leg));
        return found.Trace.Claimed ? (found.Trace.CallId, found.Trace.Seen) : null;
    }

    private static TracedMessage Describe(in TraceEntry entry, SipMessage message, long seq, string leg) => new(
        seq,
        entry.At,
        leg,
        entry.Kind == TraceEntryKind.Received ? "in" : "out",
        entry.Protocol.ToString().ToUpperInvariant(),
        entry.Local!.ToString(),
        entry.Remote!.ToString(),
        message.IsRequest ? message.MethodName : $"{message.StatusCode} {message.ReasonPhrase}",
        message.CSeq!.ToString(),
        TraceRedaction.Redact(System.Text.Encoding.UTF8.GetString(entry.Message)));

    private void Start(string callId, string caller, string dialled, DateTimeOffset at)
    {
        if (!_unclaimed.Remove(callId, out var trace))
        {
            if (_byCallId.TryGetValue(callId, out var earlier))
            {
                // A new call under the Call-ID of a kept one: the new call takes the name.
                Forget(earlier.Trace);
            }

            trace = new CallTrace(callId, messagesPerCall);
            _byCallId[callId] = (trace, "A");
        }

        trace.Claim(caller, dialled, at);
        _active[callId] = trace;
    }

    private void End(string callId, string result, DateTimeOffset at)
    {
        if (!_active.Remove(callId, out var trace))
        {
            return;
        }

        trace.End(result, at);
        _ended.Enqueue(trace);
        while (_ended.Count > endedCalls)
        {
            Forget(_ended.Dequeue());
        }
    }

    /// <summary>Drops the Call-IDs that still lead to <paramref name="trace"/> (a newer call may have taken one).</summary>
    private void Forget(CallTrace trace)
    {
        foreach (var leg in trace.Legs)
        {
            if (_byCallId.TryGetValue(leg.CallId, out var found) && ReferenceEquals(found.Trace, trace))
            {
                _byCallId.Remove(leg.CallId);
            }
        }
    }
}
