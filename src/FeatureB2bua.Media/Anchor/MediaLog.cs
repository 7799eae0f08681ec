using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Media.Anchor;

internal static partial class MediaLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Call {CallId}: no RTP either way for {Seconds} s; hanging up (media-timeout)")]
    public static partial void TimedOut(ILogger logger, string callId, int seconds);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Call {CallId}: one-way audio, {Direction} silent for {Seconds} s while the other way flows")]
    public static partial void OneWay(ILogger logger, string callId, string direction, int seconds);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Call {CallId}: media flows both ways again")]
    public static partial void BothWays(ILogger logger, string callId);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "Call {CallId}: media supervision failed")]
    public static partial void SupervisionFailed(ILogger logger, Exception exception, string callId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Call {CallId}: hold music {File} cannot be played; the default tune plays instead")]
    public static partial void HoldMusicUnreadable(ILogger logger, Exception exception, string callId, string? file);
}
