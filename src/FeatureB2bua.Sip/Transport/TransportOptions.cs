namespace FeatureB2bua.Sip.Transport;

/// <summary>Limits and timers shared by the SIP transports.</summary>
public sealed class TransportOptions
{
    /// <summary>Largest message (header block plus body) accepted; bigger ones are dropped, and on a stream the connection is closed.</summary>
    public int MaxMessageSize { get; set; } = 65535;

    /// <summary>
    /// A TCP connection with no traffic either way for this long is closed. RFC 3261 §18 asks to keep a connection
    /// at least as long as a transaction can live (an INVITE waits up to Timer C, over 3 minutes, RFC 3261 §16.6),
    /// and RFC 5626 §4.4.1 clients send keep-alives every 95-120 s; 300 s outlasts both with a margin.
    /// <see cref="Timeout.InfiniteTimeSpan"/> keeps idle connections open.
    /// </summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an outgoing TCP connect may take before the send fails with <see cref="SendResult.ConnectFailed"/>.</summary>
    public TimeSpan TcpConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Open TCP connections (accepted and outgoing) beyond which new accepts are closed at once.</summary>
    public int MaxTcpConnections { get; set; } = 10000;

    /// <summary>SO_RCVBUF of the UDP socket, so bursts survive short pauses of the receive loop (the OS may cap it).</summary>
    public int UdpReceiveBufferSize { get; set; } = 4 * 1024 * 1024;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxMessageSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTcpConnections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(UdpReceiveBufferSize);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TcpConnectTimeout, TimeSpan.Zero);
        if (TcpIdleTimeout <= TimeSpan.Zero && TcpIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(TcpIdleTimeout), TcpIdleTimeout, "Must be positive, or infinite to never close idle connections.");
        }
    }
}
