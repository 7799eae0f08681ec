using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Media.Anchor;

/// <summary>What the media anchor logs about one call; each line is written inside that call's log scope, which names it.</summary>
internal static partial class MediaLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "No RTP either way for {Seconds} s; hanging up (media-timeout)")]
    public static partial void TimedOut(ILogger logger, int seconds);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "One-way audio, {Direction} silent for {Seconds} s while the other way flows")]
    public static partial void OneWay(ILogger logger, string direction, int seconds);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Media flows both ways again")]
    public static partial void BothWays(ILogger logger);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "Media supervision failed")]
    public static partial void SupervisionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Hold music {File} cannot be played; the default tune plays instead")]
    public static partial void HoldMusicUnreadable(ILogger logger, Exception exception, string? file);
}
