namespace FeatureB2bua.Sip.Transport;

/// <summary>The transport token of a Via header (RFC 3261 §18).</summary>
public enum TransportProtocol : byte
{
    Udp,
    Tcp,
    Tls,
}
