using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Core.Calls;

/// <summary>Bodies that cross between the legs: SDP through the call's media session, anything else (an INFO's DTMF, say) as it came.</summary>
public sealed partial class Call
{
    private readonly IMediaSession _media;

    private byte[] Across(CallLeg from, SipMessage message)
    {
        if (message.Body.IsEmpty)
        {
            return [];
        }

        var contentType = message.GetHeader(HeaderId.ContentType);
        var sdp = contentType is not null && contentType.Split(';')[0].Trim().Equals("application/sdp", StringComparison.OrdinalIgnoreCase);
        return sdp ? _media.Pass(ReferenceEquals(from, _a) ? CallSide.A : CallSide.B, message.Body) : message.Body.ToArray();
    }
}
