using System.Net;

namespace FeatureB2bua.Sip.Transport;

/// <summary>
/// Sees every SIP message the stack takes in (once parsed and past the flood gate) or puts on the wire,
/// retransmissions and stateless answers included, for a trace. It runs on the receive loop and on the senders'
/// threads, so it copies what it needs and returns; <paramref name="message"/> is valid only during the call.
/// </summary>
public interface ISipTap
{
    void Received(ReadOnlySpan<byte> message, TransportProtocol protocol, IPEndPoint local, IPEndPoint remote);

    void Sent(ReadOnlySpan<byte> message, TransportProtocol protocol, IPEndPoint local, IPEndPoint remote);
}
