namespace FeatureB2bua.Media.Anchor;

/// <summary>
/// The few header bits that tell RTP and RTCP from other bytes on a media port. Nothing else is looked at: payloads,
/// RFC 4733 telephone-events and SRTP included, are relayed untouched.
/// </summary>
internal static class RtpCheck
{
    /// <summary>
    /// RFC 3550 §5.1: version 2 and a 12-byte header with its CSRC list. RTCP multiplexed on the RTP port
    /// (RFC 5761 §4) passes as well, its packet type reading as RTP payload types 72-76 with the marker set.
    /// </summary>
    public static bool IsRtp(ReadOnlySpan<byte> packet) =>
        packet.Length >= 12 && (packet[0] >> 6) == 2 && packet.Length >= 12 + (4 * (packet[0] & 0x0F));

    /// <summary>RFC 3550 §6.4: version 2, a packet type in the RTCP range (RFC 5761 §4: 192-223), at least the common header.</summary>
    public static bool IsRtcp(ReadOnlySpan<byte> packet) =>
        packet.Length >= 8 && (packet[0] >> 6) == 2 && packet[1] is >= 192 and <= 223;
}
