using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Sip.Transport;

/// <summary>
/// Transport log events with stable ids (1000-1099). Received bytes come from anyone on the network, so
/// they are never logged; endpoints and counts are. Events a remote can trigger at packet rate stay at
/// Debug or Information; the metrics carry their volume.
/// </summary>
internal static partial class TransportLog
{
    [LoggerMessage(1000, LogLevel.Information, "SIP transport listening on {ListenPoint} (bound {LocalEndPoint})")]
    public static partial void Listening(ILogger logger, ListenPoint listenPoint, IPEndPoint localEndPoint);

    [LoggerMessage(1001, LogLevel.Information, "SIP transport on {ListenPoint} stopped")]
    public static partial void Stopped(ILogger logger, ListenPoint listenPoint);

    [LoggerMessage(1002, LogLevel.Error, "Packet sink threw on a {Protocol} message from {Remote}; message dropped")]
    public static partial void SinkFailed(ILogger logger, Exception exception, TransportProtocol protocol, IPEndPoint remote);

    [LoggerMessage(1010, LogLevel.Warning, "UDP receive on {LocalEndPoint} failed with {SocketError}; receiving goes on")]
    public static partial void UdpReceiveFailed(ILogger logger, IPEndPoint localEndPoint, SocketError socketError);

    [LoggerMessage(1011, LogLevel.Debug, "UDP receive on {LocalEndPoint} saw an ICMP error ({SocketError}); ignored")]
    public static partial void UdpIcmpError(ILogger logger, IPEndPoint localEndPoint, SocketError socketError);

    [LoggerMessage(1012, LogLevel.Debug, "UDP datagram of {Length} bytes from {Remote} exceeds the size limit; dropped")]
    public static partial void UdpOversize(ILogger logger, int length, IPEndPoint remote);

    [LoggerMessage(1013, LogLevel.Debug, "UDP send of {Length} bytes to {Remote} failed with {SocketError}")]
    public static partial void UdpSendFailed(ILogger logger, int length, IPEndPoint remote, SocketError socketError);

    [LoggerMessage(1014, LogLevel.Warning, "UDP receive buffer of {Size} bytes refused ({SocketError}); the OS default stays")]
    public static partial void UdpReceiveBufferRefused(ILogger logger, int size, SocketError socketError);

    [LoggerMessage(1020, LogLevel.Debug, "TCP connection {ConnectionId} {Direction} {Remote}")]
    public static partial void ConnectionOpened(ILogger logger, long connectionId, string direction, IPEndPoint remote);

    [LoggerMessage(1021, LogLevel.Debug, "TCP connection {ConnectionId} to {Remote} closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId, IPEndPoint remote, string reason);

    [LoggerMessage(1022, LogLevel.Debug, "TCP connection from {Remote} refused: {Limit} connections already open")]
    public static partial void ConnectionRejected(ILogger logger, IPEndPoint? remote, int limit);

    [LoggerMessage(1023, LogLevel.Information, "TCP connection {ConnectionId} from {Remote} sent an unframeable stream ({Result}); closing it")]
    public static partial void FramingFailed(ILogger logger, long connectionId, IPEndPoint remote, FrameResult result);

    [LoggerMessage(1024, LogLevel.Warning, "TCP accept on {LocalEndPoint} failed with {SocketError}; accepting goes on")]
    public static partial void AcceptFailed(ILogger logger, IPEndPoint localEndPoint, SocketError socketError);

    [LoggerMessage(1025, LogLevel.Debug, "TCP connect to {Remote} failed: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(1026, LogLevel.Debug, "TCP write on connection {ConnectionId} to {Remote} failed")]
    public static partial void WriteFailed(ILogger logger, Exception exception, long connectionId, IPEndPoint remote);

    [LoggerMessage(1027, LogLevel.Debug, "TLS handshake on connection {ConnectionId} with {Remote} failed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, long connectionId, IPEndPoint remote, string reason);
}
