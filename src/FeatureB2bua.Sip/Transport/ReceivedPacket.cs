using System.Net;

namespace FeatureB2bua.Sip.Transport;

/// <summary>
/// One SIP message as it came off the wire: a whole UDP datagram, or exactly one framed
/// message from a stream. <see cref="Data"/> is pooled and valid only during the sink's call.
/// </summary>
public readonly struct ReceivedPacket(
    ReadOnlyMemory<byte> data,
    TransportProtocol protocol,
    IPEndPoint remote,
    IPEndPoint local,
    IStreamConnection? connection)
{
    public ReadOnlyMemory<byte> Data { get; } = data;

    public TransportProtocol Protocol { get; } = protocol;

    public IPEndPoint Remote { get; } = remote;

    public IPEndPoint Local { get; } = local;

    /// <summary>The stream the message came on, so a response can go back on it (RFC 3261 §18.2.2); null for UDP.</summary>
    public IStreamConnection? Connection { get; } = connection;
}
