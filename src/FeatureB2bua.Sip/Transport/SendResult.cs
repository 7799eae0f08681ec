namespace FeatureB2bua.Sip.Transport;

/// <summary>Outcome of a send: failures are values, not exceptions, so a transport error can drive a transaction (RFC 3261 §17.1.4).</summary>
public enum SendResult : byte
{
    Sent,
    ConnectionClosed,
    ConnectFailed,
    NoTransport,
    Failed,
}
