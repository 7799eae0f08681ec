using System.Diagnostics.CodeAnalysis;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// Typed view of <c>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;channels&gt;]</c>
/// (RFC 8866 §6.6).
/// </summary>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int? Channels = null)
{
    public const string AttributeName = "rtpmap";

    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpRtpMap? rtpMap)
    {
        rtpMap = null;
        if (value is null)
        {
            return false;
        }

        var space = value.IndexOf(' ');
        if (space < 0 || !TryParsePayloadType(value.AsSpan(0, space), out var payloadType))
        {
            return false;
        }

        var encoding = value.AsSpan(space + 1);
        var slash = encoding.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        var name = encoding[..slash];
        var rest = encoding[(slash + 1)..];
        int? channels = null;
        var secondSlash = rest.IndexOf('/');
        if (secondSlash >= 0)
        {
            if (!SdpText.TryParseInt32(rest[(secondSlash + 1)..], out var parsedChannels))
            {
                return false;
            }

            channels = parsedChannels;
            rest = rest[..secondSlash];
        }

        if (!SdpText.TryParseInt32(rest, out var clockRate))
        {
            return false;
        }

        rtpMap = new SdpRtpMap(payloadType, name.ToString(), clockRate, channels);
        return true;
    }

    public SdpAttribute ToAttribute()
    {
        var value = $"{PayloadType} {EncodingName}/{ClockRate}";
        return new SdpAttribute(AttributeName, Channels is { } channels ? $"{value}/{channels}" : value);
    }

    /// <summary>RTP payload types are 7 bits (RFC 3550 §5.1).</summary>
    internal static bool TryParsePayloadType(ReadOnlySpan<char> text, out int payloadType) =>
        SdpText.TryParseInt32(text, out payloadType) && payloadType <= 127;
}
