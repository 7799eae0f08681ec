using System.Collections;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The log scope of one call: <c>CallId</c>, the caller's Call-ID (the correlation id, also the CDR's and
/// <c>/api/calls</c>' <c>aCallId</c>), and <c>BCallId</c>, the B-leg's Call-ID once there is one (the answered
/// branch, else the latest tried, as in <see cref="CallSnapshot"/>). Key/value pairs, so JSON console and OTLP
/// logging see them as fields; text formatters print <see cref="ToString"/>. One instance lives as long as its call
/// and reads the B-leg as it is when a line is written.
/// </summary>
public sealed class CallLogScope(string callId) : IEnumerable<KeyValuePair<string, object?>>
{
    private volatile string? _bCallId;

    public string CallId { get; } = callId;

    public string? BCallId
    {
        get => _bCallId;
        internal set => _bCallId = value;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return new(nameof(CallId), CallId);
        if (_bCallId is { } bCallId)
        {
            yield return new(nameof(BCallId), bCallId);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _bCallId is { } bCallId ? $"CallId={CallId} BCallId={bCallId}" : $"CallId={CallId}";
}
