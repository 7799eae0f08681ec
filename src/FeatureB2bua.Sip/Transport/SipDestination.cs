using System.Net;

namespace FeatureB2bua.Sip.Transport;

/// <summary>Where to send a message: a transport and address, and for streams the connection to prefer.</summary>
public sealed record SipDestination(TransportProtocol Protocol, IPEndPoint EndPoint, IStreamConnection? Connection = null)
{
    public bool IsReliable => Protocol != TransportProtocol.Udp;
}
