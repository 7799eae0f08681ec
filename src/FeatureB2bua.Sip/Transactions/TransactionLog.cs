using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Sip.Transactions;

internal static partial class TransactionLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "A transaction user callback failed")]
    public static partial void UpcallFailed(ILogger logger, Exception exception);
}
