using System.Net;

namespace FeatureB2bua.Sip.Transport;

/// <summary>Where a received message came from: what response routing (RFC 3261 §18.2.2) and RFC 3581 need.</summary>
public sealed record MessageSource(TransportProtocol Protocol, IPEndPoint Remote, IPEndPoint Local, IStreamConnection? Connection)
{
    public bool IsReliable => Protocol != TransportProtocol.Udp;
}
