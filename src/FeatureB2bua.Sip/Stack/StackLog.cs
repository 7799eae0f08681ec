using System.Net;
using FeatureB2bua.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Sip.Stack;

internal static partial class StackLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Listening for SIP on {Protocol} {EndPoint}")]
    public static partial void Listening(ILogger logger, TransportProtocol protocol, IPEndPoint endPoint);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Answered a malformed request from {Remote} with {Status} {Reason}")]
    public static partial void Rejected(ILogger logger, IPEndPoint remote, int status, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Dropped a malformed request from {Remote}: {Reason}")]
    public static partial void Dropped(ILogger logger, IPEndPoint remote, string reason);
}
