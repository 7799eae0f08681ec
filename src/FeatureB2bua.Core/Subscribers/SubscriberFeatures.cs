namespace FeatureB2bua.Core.Subscribers;

/// <summary>Per-subscriber call features, as in the provisioning file (DESIGN.md §6). Null means off.</summary>
public sealed record SubscriberFeatures
{
    public string? ForwardUnconditional { get; init; }

    public string? ForwardBusy { get; init; }

    public string? ForwardNoAnswer { get; init; }

    public int NoAnswerTimeoutSeconds { get; init; } = 20;

    public bool MusicOnHold { get; init; } = true;

    /// <summary>A WAV file played to whoever this subscriber holds; null for the server's <c>Media:HoldMusic:File</c> or built-in tune.</summary>
    public string? MusicOnHoldFile { get; init; }
}
