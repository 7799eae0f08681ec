namespace FeatureB2bua.Core.Tracing;

/// <summary>The trace of one call, keyed by its A-leg Call-ID: what the call told of itself, its legs and a bounded window of its messages.</summary>
internal sealed class CallTrace(string callId, int messagesPerCall)
{
    private readonly MessageWindow _messages = new(messagesPerCall);
    private readonly List<TraceLeg> _legs = [new TraceLeg("A", "A-party", callId, null, null)];
    private int _branches;

    public string CallId { get; } = callId;

    /// <summary>False until the call core says the call exists: an INVITE that was challenged or refused before that is held aside.</summary>
    public bool Claimed { get; private set; }

    public string Caller { get; private set; } = "";

    public string Dialled { get; private set; } = "";

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public string? Result { get; private set; }

    public long Seen { get; private set; }

    public IReadOnlyList<TraceLeg> Legs => _legs;

    public void Claim(string caller, string dialled, DateTimeOffset at)
    {
        Claimed = true;
        Caller = caller;
        Dialled = dialled;
        StartedAt ??= at;
    }

    /// <summary>A new B-leg column; returns its id (B1, B2, ...).</summary>
    public string AddBranch(string bCallId, string target, bool forwarded)
    {
        var id = "B" + ++_branches;
        _legs.Add(new TraceLeg(id, forwarded ? "Forwarded" : "B-party", bCallId, null, target));
        return id;
    }

    public void End(string result, DateTimeOffset at)
    {
        EndedAt = at;
        Result = result;
    }

    public void Add(string leg, TracedMessage message)
    {
        StartedAt ??= message.At;
        Seen++;
        _messages.Add(message);
        var index = _legs.FindIndex(l => l.Id == leg);
        if (_legs[index].Peer is null)
        {
            _legs[index] = _legs[index] with { Peer = message.Remote };
        }
    }

    public TraceSummary Summary() => new(CallId, Caller, Dialled, StartedAt!.Value, EndedAt, Result, Seen);

    public CallTraceView View() => new(Summary(), [.. _legs], _messages.ToArray());
}
