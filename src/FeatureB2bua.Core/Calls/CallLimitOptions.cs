using System.ComponentModel.DataAnnotations;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The call core's part of the <c>Limits</c> configuration section (docs/limits.md): calls in progress at once, in
/// all and per subscriber. 0 turns a limit off.
/// </summary>
public sealed class CallLimitOptions
{
    public const string Section = "Limits";

    /// <summary>Calls in progress at once, from every source; a new INVITE beyond it gets 503 Call Limit Reached.</summary>
    [Range(0, int.MaxValue)]
    public int MaxCalls { get; set; }

    /// <summary>
    /// Calls one subscriber has in progress as the authenticated caller (the per-account channel limit); a new INVITE
    /// beyond it gets 503 Subscriber Call Limit Reached. Calls to the subscriber, and calls from trusted sources
    /// (<c>Routing:Trusted</c>, which carry no credentials), do not count against it.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxCallsPerSubscriber { get; set; }

    /// <summary>The Retry-After (RFC 3261 §20.33) of a 503 for a limit, in seconds.</summary>
    [Range(0, 86400)]
    public int RetryAfterSeconds { get; set; } = 5;
}
