using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Calls;

/// <summary>What a call logs; each line is written inside the call's <see cref="CallLogScope"/>, which names the call.</summary>
internal static partial class CallLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Routing failed; answered 500")]
    public static partial void RoutingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "{Trigger} is not allowed in {State}; ignored")]
    public static partial void TriggerRefused(ILogger logger, CallTrigger trigger, CallState state);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "A feature failed; the call goes on without it")]
    public static partial void FeatureFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Call failed in {State}; it is ended")]
    public static partial void CallFailed(ILogger logger, Exception exception, CallState state);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "SDP from leg {Leg} cannot be anchored ({Error}); passed on without a body")]
    public static partial void SdpRefused(ILogger logger, string leg, string error);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "No media ports free; answered 503")]
    public static partial void NoMediaPorts(ILogger logger);

    /// <summary>The summary of an ended call, written with its CDR: its fields are the CDR's and the media session's counts.</summary>
    [LoggerMessage(
        EventId = 4007,
        Level = LogLevel.Information,
        Message = "call ended: result={Result} from={Caller} to={Dialled} target={Target} duration={DurationSeconds}s setup={SetupSeconds}s " +
                  "final={FinalStatus} reason={Reason} features={Features} branches={Branches} rtp_a_to_b={RtpAToB} rtp_b_to_a={RtpBToA} one_way={OneWay}")]
    public static partial void CallEnded(
        ILogger logger,
        string result,
        string caller,
        string dialled,
        string? target,
        double durationSeconds,
        double setupSeconds,
        int finalStatus,
        string? reason,
        string features,
        int branches,
        long? rtpAToB,
        long? rtpBToA,
        string? oneWay);
}
