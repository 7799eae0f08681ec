namespace FeatureB2bua.Core.Subscribers;

/// <summary>
/// Per-subscriber call features, as in the provisioning file (DESIGN.md §6); each is read by its module under
/// features/. A forwarding target is a SIP URI or a bare user or number of our domain; null means off.
/// </summary>
public sealed record SubscriberFeatures
{
    public string? ForwardUnconditional { get; init; }

    public string? ForwardBusy { get; init; }

    public string? ForwardNoAnswer { get; init; }

    public int NoAnswerTimeoutSeconds { get; init; } = 20;

    public bool MusicOnHold { get; init; } = true;

    /// <summary>Already in a call means busy: a second call is not rung but takes the busy course (forwarding on busy, else 486).</summary>
    public bool BusyWhenInCall { get; init; }

    /// <summary>Unconditional forwarding answers the caller 302 with the target, instead of calling the target for it.</summary>
    public bool ForwardByRedirect { get; init; }

    /// <summary>A WAV file played to whoever this subscriber holds; null for the server's <c>Media:HoldMusic:File</c> or built-in tune.</summary>
    public string? MusicOnHoldFile { get; init; }
}
