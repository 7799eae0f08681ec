using System.Diagnostics.Metrics;
using FeatureB2bua.Sip.Limits;

namespace FeatureB2bua.Sip.Transport;

/// <summary>The transport instruments; a Meter hands back the same instrument for the same name, so transports can each make one.</summary>
internal sealed class TransportMetrics
{
    private readonly Counter<long> _received;
    private readonly Counter<long> _dropped;
    private readonly UpDownCounter<long> _connectionsOpen;
    private readonly Counter<long> _connectionsRejected;
    private readonly Counter<long> _handshakeFailures;
    private readonly KeyValuePair<string, object?> _protocol;
    private readonly LimitMetrics _limits;

    public TransportMetrics(Meter meter, TransportProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _received = meter.CreateCounter<long>("b2bua_transport_messages_received", "{message}", "SIP messages received");
        _dropped = meter.CreateCounter<long>("b2bua_transport_messages_dropped", "{message}", "SIP messages dropped by the transport");
        _connectionsOpen = meter.CreateUpDownCounter<long>("b2bua_transport_connections_open", "{connection}", "Open stream connections");
        _connectionsRejected = meter.CreateCounter<long>("b2bua_transport_connections_rejected", "{connection}", "Accepted connections closed at once because of the connection limit");
        _handshakeFailures = meter.CreateCounter<long>("b2bua_transport_tls_handshake_failures", "{connection}", "Connections closed because their TLS handshake failed or did not finish in time");
        _protocol = new("protocol", ListenPoint.Scheme(protocol));
        _limits = new LimitMetrics(meter);
    }

    public void Received() => _received.Add(1, _protocol);

    public void Dropped(DropReason reason)
    {
        _dropped.Add(1, _protocol, new("reason", reason switch
        {
            DropReason.Oversize => "oversize",
            DropReason.Framing => "framing",
            _ => "sink_error",
        }));
        if (reason == DropReason.Oversize)
        {
            _limits.Rejected(Limit.MessageSize);
        }
    }

    public void ConnectionOpened() => _connectionsOpen.Add(1, _protocol);

    public void ConnectionClosed() => _connectionsOpen.Add(-1, _protocol);

    public void ConnectionRejected()
    {
        _connectionsRejected.Add(1, _protocol);
        _limits.Rejected(Limit.TcpConnections);
    }

    public void HandshakeFailed(bool timedOut) => _handshakeFailures.Add(1, _protocol, new("reason", timedOut ? "timeout" : "error"));
}
