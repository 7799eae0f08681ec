using System.Diagnostics.CodeAnalysis;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// Typed view of <c>a=fmtp:&lt;format&gt; &lt;parameters&gt;</c> (RFC 8866 §6.15) for RTP payload types.
/// The parameters stay one opaque string because their syntax belongs to each codec.
/// </summary>
public sealed record SdpFmtp(int PayloadType, string Parameters)
{
    public const string AttributeName = "fmtp";

    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpFmtp? fmtp)
    {
        fmtp = null;
        if (value is null)
        {
            return false;
        }

        var space = value.IndexOf(' ');
        var format = space < 0 ? value.AsSpan() : value.AsSpan(0, space);
        if (!SdpRtpMap.TryParsePayloadType(format, out var payloadType))
        {
            return false;
        }

        fmtp = new SdpFmtp(payloadType, space < 0 ? string.Empty : value[(space + 1)..]);
        return true;
    }

    public SdpAttribute ToAttribute() =>
        new(AttributeName, Parameters.Length == 0 ? $"{PayloadType}" : $"{PayloadType} {Parameters}");
}
