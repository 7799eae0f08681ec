using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Limits;

/// <summary>
/// The SIP stack's part of the <c>Limits</c> configuration section (docs/limits.md): what one message may carry and
/// how many transactions may be open at once. The message size and TCP connection limits stay with the transports
/// (<c>Sip:Transport:MaxMessageSize</c>, <c>Sip:Transport:MaxTcpConnections</c>).
/// </summary>
public sealed class SipLimitOptions
{
    public const string Section = "Limits";

    /// <summary>Header lines in one message; a request with more gets 400 Too Many Headers.</summary>
    public int MaxHeaders { get; set; } = ParseLimits.Default.MaxHeaders;

    /// <summary>Via values in one message; a request with more gets 400 Too Many Via Headers.</summary>
    public int MaxVias { get; set; } = ParseLimits.Default.MaxVias;

    /// <summary>Server and client transactions open at once; a new request beyond it gets 503 statelessly.</summary>
    public int MaxTransactions { get; set; } = 100_000;

    /// <summary>The Retry-After (RFC 3261 §20.33) of a 503 for a limit, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    public ParseLimits Parse => new(MaxHeaders, MaxVias);

    public void Validate()
    {
        // Up to 4096 lines keeps the parser's pooled header index small; no real message has that many.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxHeaders);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxHeaders, 4096);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxVias);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTransactions);
        ArgumentOutOfRangeException.ThrowIfNegative(RetryAfterSeconds);
    }
}
