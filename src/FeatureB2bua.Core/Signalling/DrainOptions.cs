using System.ComponentModel.DataAnnotations;

namespace FeatureB2bua.Core.Signalling;

/// <summary>The <c>Drain</c> configuration section: how a node going out of service lets its calls finish.</summary>
public sealed class DrainOptions
{
    public const string Section = "Drain";

    /// <summary>How long calls in progress may go on once the drain starts; then the server ends them itself.</summary>
    [Range(0, 86400)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>The Retry-After of the 503 that new calls get while draining (RFC 3261 §20.33).</summary>
    [Range(0, 86400)]
    public int RetryAfterSeconds { get; set; } = 30;
}
