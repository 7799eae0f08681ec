using System.Diagnostics.CodeAnalysis;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// Parses the value part of the structured SDP lines; a failure carries a reason for the
/// caller's error message.
/// </summary>
internal static class SdpFieldParser
{
    public static bool TryParseOrigin(
        string value, [NotNullWhen(true)] out SdpOrigin? origin, [NotNullWhen(false)] out string? reason)
    {
        origin = null;
        Span<Range> tokens = stackalloc Range[6];
        if (!SdpText.TrySplit(value, tokens, out var count) || count != 6)
        {
            reason = "malformed o= line (expected <username> <sess-id> <sess-version> <nettype> <addrtype> <address>)";
            return false;
        }

        if (!SdpText.TryParseUInt64(value.AsSpan()[tokens[2]], out var version))
        {
            reason = "malformed o= line (session version is not a number)";
            return false;
        }

        origin = new SdpOrigin(
            value[tokens[0]], value[tokens[1]], version, value[tokens[3]], value[tokens[4]], value[tokens[5]]);
        reason = null;
        return true;
    }

    public static bool TryParseConnection(
        string value, [NotNullWhen(true)] out SdpConnection? connection, [NotNullWhen(false)] out string? reason)
    {
        connection = null;
        Span<Range> tokens = stackalloc Range[3];
        if (!SdpText.TrySplit(value, tokens, out var count) || count != 3)
        {
            reason = "malformed c= line (expected <nettype> <addrtype> <connection-address>)";
            return false;
        }

        connection = new SdpConnection(value[tokens[0]], value[tokens[1]], value[tokens[2]]);
        reason = null;
        return true;
    }

    public static bool TryParseBandwidth(
        string value, [NotNullWhen(true)] out SdpBandwidth? bandwidth, [NotNullWhen(false)] out string? reason)
    {
        bandwidth = null;
        var colon = value.IndexOf(':');
        if (colon <= 0 || !SdpText.TryParseUInt64(value.AsSpan(colon + 1), out var amount))
        {
            reason = "malformed b= line (expected <bwtype>:<bandwidth>)";
            return false;
        }

        bandwidth = new SdpBandwidth(value[..colon], amount);
        reason = null;
        return true;
    }

    public static bool TryParseTiming(
        string value, [NotNullWhen(true)] out SdpTiming? timing, [NotNullWhen(false)] out string? reason)
    {
        timing = null;
        Span<Range> tokens = stackalloc Range[2];
        if (!SdpText.TrySplit(value, tokens, out var count)
            || count != 2
            || !SdpText.TryParseUInt64(value.AsSpan()[tokens[0]], out var start)
            || !SdpText.TryParseUInt64(value.AsSpan()[tokens[1]], out var stop))
        {
            reason = "malformed t= line (expected <start-time> <stop-time>)";
            return false;
        }

        timing = new SdpTiming(start, stop);
        reason = null;
        return true;
    }

    public static bool TryParseAttribute(
        string value, [NotNullWhen(true)] out SdpAttribute? attribute, [NotNullWhen(false)] out string? reason)
    {
        attribute = null;
        var colon = value.IndexOf(':');
        var name = colon < 0 ? value : value[..colon];
        if (name.Length == 0)
        {
            reason = "malformed a= line (empty attribute name)";
            return false;
        }

        attribute = new SdpAttribute(name, colon < 0 ? null : value[(colon + 1)..]);
        reason = null;
        return true;
    }

    public static bool TryParseMedia(
        string value, [NotNullWhen(true)] out MediaDescription? media, [NotNullWhen(false)] out string? reason)
    {
        media = null;
        var position = 0;
        if (!SdpText.NextToken(value, ref position, out var mediaToken)
            || !SdpText.NextToken(value, ref position, out var portToken))
        {
            reason = "malformed m= line (expected <media> <port> <proto> <fmt> ...)";
            return false;
        }

        var portText = value.AsSpan()[portToken];
        int? portCount = null;
        var slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            if (!SdpText.TryParseInt32(portText[(slash + 1)..], out var count) || count == 0)
            {
                reason = "malformed m= line (port count is not a positive number)";
                return false;
            }

            portCount = count;
            portText = portText[..slash];
        }

        if (!SdpText.TryParsePort(portText, out var port))
        {
            reason = "malformed m= line (port is not a number from 0 to 65535)";
            return false;
        }

        if (!SdpText.NextToken(value, ref position, out var protocolToken))
        {
            reason = "malformed m= line (missing protocol)";
            return false;
        }

        media = new MediaDescription(value[mediaToken], port, value[protocolToken]) { PortCount = portCount };
        while (SdpText.NextToken(value, ref position, out var formatToken))
        {
            media.Formats.Add(value[formatToken]);
        }

        reason = null;
        return true;
    }
}
