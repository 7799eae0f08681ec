using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Calls;

internal static partial class CallLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Routing failed (Call-ID {CallId}); answered 500")]
    public static partial void RoutingFailed(ILogger logger, Exception exception, string callId);
}
