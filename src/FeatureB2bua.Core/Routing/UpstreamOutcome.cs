namespace FeatureB2bua.Core.Routing;

/// <summary>How one attempt on an upstream went, as far as its circuit breaker cares.</summary>
public enum UpstreamOutcome
{
    Success,
    Failure,
}

/// <summary>Which answers count against an upstream.</summary>
public static class UpstreamOutcomes
{
    /// <summary>
    /// 503 and 408 say the upstream cannot take the request now (a timeout and a transport error are treated as
    /// 408 and 503 by the TU, RFC 3261 §8.1.3.1); any other final answer, a 404 or a 486 included, proves it works.
    /// </summary>
    public static UpstreamOutcome ForStatus(int statusCode) => statusCode is 503 or 408 ? UpstreamOutcome.Failure : UpstreamOutcome.Success;
}
