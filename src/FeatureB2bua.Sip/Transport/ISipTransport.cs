using System.Net;

namespace FeatureB2bua.Sip.Transport;

/// <summary>One listening SIP transport (a UDP socket, or a TCP listener with its connections).</summary>
public interface ISipTransport : IAsyncDisposable
{
    TransportProtocol Protocol { get; }

    ListenPoint ListenPoint { get; }

    /// <summary>The bound address once <see cref="Start"/> has run (the real port when port 0 was asked for); the configured one before.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds and starts receiving; every message goes to <paramref name="sink"/>.</summary>
    void Start(IPacketSink sink);

    /// <summary>
    /// Sends one whole message. Streams use <paramref name="preferred"/> while it is open (RFC 3261 §18.2.2),
    /// else an open connection to <paramref name="remote"/>, else a new one; datagram transports ignore it.
    /// </summary>
    ValueTask<SendResult> SendAsync(
        ReadOnlyMemory<byte> data,
        IPEndPoint remote,
        IStreamConnection? preferred = null,
        CancellationToken cancellationToken = default);
}
