using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Calls;

internal static partial class CallLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Routing failed (Call-ID {CallId}); answered 500")]
    public static partial void RoutingFailed(ILogger logger, Exception exception, string callId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Call {CallId}: {Trigger} is not allowed in {State}; ignored")]
    public static partial void TriggerRefused(ILogger logger, string callId, CallTrigger trigger, CallState state);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "Call {CallId}: a feature failed; the call goes on without it")]
    public static partial void FeatureFailed(ILogger logger, Exception exception, string callId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Call {CallId} failed in {State}; it is ended")]
    public static partial void CallFailed(ILogger logger, Exception exception, string callId, CallState state);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Call {CallId}: SDP from leg {Leg} cannot be anchored ({Error}); passed on without a body")]
    public static partial void SdpRefused(ILogger logger, string callId, string leg, string error);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Call {CallId}: no media ports free; answered 503")]
    public static partial void NoMediaPorts(ILogger logger, string callId);
}
