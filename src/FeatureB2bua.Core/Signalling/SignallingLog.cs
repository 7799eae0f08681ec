using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Signalling;

internal static partial class SignallingLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "ACK matching no dialog dropped (Call-ID {CallId})")]
    public static partial void UnmatchedAck(ILogger logger, string? callId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Response {Status} matching no transaction dropped (Call-ID {CallId})")]
    public static partial void StrayResponse(ILogger logger, int status, string? callId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "No ACK came for a final response (Call-ID {CallId})")]
    public static partial void NoAck(ILogger logger, string? callId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Handling {Method} failed (Call-ID {CallId}); answered 500")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string? callId);
}
