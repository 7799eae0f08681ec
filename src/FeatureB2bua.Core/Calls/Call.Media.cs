using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Bodies that cross between the legs: SDP through the call's media session, anything else (an INFO's DTMF, say)
/// as it came; and what the media session reports back.
/// </summary>
public sealed partial class Call : IMediaSessionEvents
{
    private readonly IMediaSession? _media;

    private IMediaSession Media => _media!;

    /// <summary>False, with the reason, when the SDP of <paramref name="message"/> cannot be anchored: a 488 for that leg.</summary>
    private bool TryAcross(CallLeg from, SipMessage message, out byte[] body, out string? error, HoldShaping shaping = HoldShaping.None)
    {
        error = null;
        if (message.Body.IsEmpty)
        {
            body = [];
            return true;
        }

        if (!IsSdp(message))
        {
            body = message.Body.ToArray();
            return true;
        }

        return Media.TryPass(SideOf(from, _a), message.Body, shaping, out body, out error);
    }

    /// <summary>Where the call has no one to refuse (a provisional, an ACK), SDP that cannot be anchored is left out.</summary>
    private byte[] AcrossOrNothing(CallLeg from, SipMessage message)
    {
        if (TryAcross(from, message, out var body, out var error))
        {
            return body;
        }

        CallLog.SdpRefused(_env.Logger, from.Name, error!);
        return [];
    }

    private static bool IsSdp(SipMessage message)
    {
        var contentType = message.GetHeader(HeaderId.ContentType);
        return contentType is not null && contentType.Split(';')[0].Trim().Equals("application/sdp", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>RFC 3261 §21.4.26: the offer is refused and nothing else changes; the Warning says why (§20.43, code 399).</summary>
    private static SipMessage RefuseSdp(SipMessage request, string? toTag, string error) =>
        ResponseBuilder.Create(request, 488, "Not Acceptable Here", toTag, w => w.WriteHeader(HeaderId.Warning, "399 b2bua \"Bad SDP: " + error.Replace("\"", "'", StringComparison.Ordinal) + "\""));

    public void MediaTimedOut() => Run(() => HangUp("media-timeout"));
}
