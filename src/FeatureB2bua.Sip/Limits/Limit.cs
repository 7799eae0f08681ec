namespace FeatureB2bua.Sip.Limits;

/// <summary>The limits of docs/limits.md, as the <c>limit</c> label of <see cref="LimitMetrics"/> names them.</summary>
public enum Limit : byte
{
    MessageSize,
    Headers,
    Vias,
    Calls,
    CallsPerSubscriber,
    Transactions,
    TcpConnections,
}
