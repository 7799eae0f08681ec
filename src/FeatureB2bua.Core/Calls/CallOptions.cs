using System.ComponentModel.DataAnnotations;

namespace FeatureB2bua.Core.Calls;

/// <summary>The <c>Calls</c> configuration section: liveness of answered calls and how far a call may be redirected.</summary>
public sealed class CallOptions
{
    public const string Section = "Calls";

    /// <summary>
    /// RFC 4028 session interval asked of both legs when the caller names none; 0 turns session timers off for
    /// such calls. 1800 s is the RFC's recommended default (§4).
    /// </summary>
    [Range(0, 86400)]
    public int SessionExpiresSeconds { get; set; } = 1800;

    /// <summary>The smallest session interval accepted (Min-SE); RFC 4028 §4 forbids less than 90 s.</summary>
    [Range(90, 86400)]
    public int MinSessionExpiresSeconds { get; set; } = 90;

    /// <summary>An answered call is hung up after this long; 0 means no limit.</summary>
    [Range(0, int.MaxValue)]
    public int MaxDurationSeconds { get; set; } = 4 * 3600;

    /// <summary>How many 3xx redirections from callees one call follows before it fails (RFC 3261 §8.1.3.4 recursion).</summary>
    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 3;
}
