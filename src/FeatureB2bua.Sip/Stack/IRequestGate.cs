using System.Net;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Stack;

/// <summary>
/// Decides, per source, whether a request reaches the transaction layer: flood limits, bans and scanner filters
/// live behind it. Responses are never gated: they only ever match transactions we started.
/// </summary>
public interface IRequestGate
{
    /// <summary>The check before parsing, on the remote address alone, so a banned source costs next to nothing.</summary>
    bool Admits(IPAddress source);

    /// <summary>The check after parsing, with the request (its method and headers) and the address it came from.</summary>
    GateVerdict Judge(SipMessage request, IPAddress source);
}

/// <summary>What the stack does with a request the gate has judged.</summary>
public readonly record struct GateVerdict(GateAction Action, int RetryAfterSeconds = 0)
{
    public static GateVerdict Pass => default;

    public static GateVerdict Drop => new(GateAction.Drop);
}

public enum GateAction
{
    Pass,

    /// <summary>Silently: nothing goes back, so a flooder or scanner learns nothing and costs us no send.</summary>
    Drop,

    /// <summary>503 with Retry-After (RFC 3261 §21.5.4, §20.33), for operators who prefer telling a peer to back off.</summary>
    Busy,
}
