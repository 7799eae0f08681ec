using System.Diagnostics.CodeAnalysis;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// Assembles a <see cref="SessionDescription"/> from lines fed in order, enforcing which line
/// types may appear where (RFC 8866 §5). Session-level lines after s= may come in any order;
/// the writer puts them back in canonical order.
/// </summary>
internal sealed class SdpBuilder
{
    private const string KnownTypes = "vosiuepcbtrzkam";

    private SdpOrigin? _origin;
    private SessionDescription? _sdp;
    private MediaDescription? _media;
    private bool _sawVersion;

    public bool TryAdd(char type, string value, [NotNullWhen(false)] out string? reason)
    {
        if (!KnownTypes.Contains(type, StringComparison.Ordinal))
        {
            // RFC 8866 §5: a description with a type letter the parser does not understand is rejected.
            reason = $"unknown line type '{type}='";
            return false;
        }

        if (!_sawVersion)
        {
            return TryAddVersion(type, value, out reason);
        }

        if (_origin is null)
        {
            return TryAddOrigin(type, value, out reason);
        }

        if (_sdp is null)
        {
            return TryAddSessionName(_origin, type, value, out reason);
        }

        if (type == 'm')
        {
            return TryAddMedia(_sdp, value, out reason);
        }

        return _media is null
            ? TryAddSessionField(_sdp, type, value, out reason)
            : TryAddMediaField(_media, type, value, out reason);
    }

    public bool TryFinish([NotNullWhen(true)] out SessionDescription? sdp, [NotNullWhen(false)] out string? error)
    {
        sdp = null;
        if (!_sawVersion)
        {
            error = "empty SDP body";
            return false;
        }

        if (_origin is null)
        {
            error = "missing o= line";
            return false;
        }

        if (_sdp is null)
        {
            error = "missing s= line";
            return false;
        }

        if (_sdp.Timings.Count == 0)
        {
            error = "missing t= line (RFC 8866 §5.9)";
            return false;
        }

        // RFC 8866 §5.7: c= at session level, or in every media section.
        for (var i = 0; i < _sdp.MediaDescriptions.Count; i++)
        {
            var media = _sdp.MediaDescriptions[i];
            if (media.Connection is null && _sdp.Connection is null)
            {
                error = $"missing c= line for m= section {i + 1} ({media.Media}) "
                    + "and none at session level (RFC 8866 §5.7)";
                return false;
            }
        }

        sdp = _sdp;
        error = null;
        return true;
    }

    private bool TryAddVersion(char type, string value, [NotNullWhen(false)] out string? reason)
    {
        // RFC 8866 §5: v= comes first; §5.1: the only version is 0.
        reason = type != 'v' ? "missing v= line (an SDP body must start with v=0)"
            : value != "0" ? "unsupported SDP version (only v=0 exists, RFC 8866 §5.1)"
            : null;
        _sawVersion = reason is null;
        return _sawVersion;
    }

    private bool TryAddOrigin(char type, string value, [NotNullWhen(false)] out string? reason)
    {
        if (type != 'o')
        {
            reason = "missing o= line (it must follow v=, RFC 8866 §5)";
            return false;
        }

        return SdpFieldParser.TryParseOrigin(value, out _origin, out reason);
    }

    private bool TryAddSessionName(SdpOrigin origin, char type, string value, [NotNullWhen(false)] out string? reason)
    {
        if (type != 's')
        {
            reason = "missing s= line (it must follow o=, RFC 8866 §5)";
            return false;
        }

        _sdp = new SessionDescription(origin, value);
        reason = null;
        return true;
    }

    private bool TryAddMedia(SessionDescription sdp, string value, [NotNullWhen(false)] out string? reason)
    {
        if (!SdpFieldParser.TryParseMedia(value, out var media, out reason))
        {
            return false;
        }

        sdp.MediaDescriptions.Add(media);
        _media = media;
        return true;
    }

    private static bool TryAddSessionField(
        SessionDescription sdp, char type, string value, [NotNullWhen(false)] out string? reason)
    {
        reason = null;
        switch (type)
        {
            case 'i' when sdp.Information is null:
                sdp.Information = value;
                return true;
            case 'u' when sdp.Uri is null:
                sdp.Uri = value;
                return true;
            case 'e':
                sdp.Emails.Add(value);
                return true;
            case 'p':
                sdp.Phones.Add(value);
                return true;
            case 'c' when sdp.Connection is null:
                if (!SdpFieldParser.TryParseConnection(value, out var connection, out reason))
                {
                    return false;
                }

                sdp.Connection = connection;
                return true;
            case 'b':
                return TryAddBandwidth(sdp.Bandwidths, value, out reason);
            case 't':
                if (!SdpFieldParser.TryParseTiming(value, out var timing, out reason))
                {
                    return false;
                }

                sdp.Timings.Add(timing);
                return true;
            case 'r' when sdp.Timings.Count == 0:
                reason = "r= line without a preceding t= line (RFC 8866 §5.10)";
                return false;
            case 'r':
                sdp.Timings[^1].Repeats.Add(value);
                return true;
            case 'z' when sdp.TimeZones is null:
                sdp.TimeZones = value;
                return true;
            case 'k' when sdp.EncryptionKey is null:
                sdp.EncryptionKey = value;
                return true;
            case 'a':
                return TryAddAttribute(sdp.Attributes, value, out reason);
            default:
                // v, o, s, i, u, c, z and k may appear only once per session level.
                reason = $"duplicate {type}= line";
                return false;
        }
    }

    private static bool TryAddMediaField(
        MediaDescription media, char type, string value, [NotNullWhen(false)] out string? reason)
    {
        reason = null;
        switch (type)
        {
            case 'i' when media.Information is null:
                media.Information = value;
                return true;
            case 'c' when media.Connection is null:
                if (!SdpFieldParser.TryParseConnection(value, out var connection, out reason))
                {
                    return false;
                }

                media.Connection = connection;
                return true;
            case 'b':
                return TryAddBandwidth(media.Bandwidths, value, out reason);
            case 'k' when media.EncryptionKey is null:
                media.EncryptionKey = value;
                return true;
            case 'a':
                return TryAddAttribute(media.Attributes, value, out reason);
            case 'i' or 'c' or 'k':
                reason = $"duplicate {type}= line in m= section ({media.Media})";
                return false;
            default:
                reason = $"{type}= line is not allowed inside an m= section (RFC 8866 §5)";
                return false;
        }
    }

    private static bool TryAddBandwidth(
        List<SdpBandwidth> bandwidths, string value, [NotNullWhen(false)] out string? reason)
    {
        if (!SdpFieldParser.TryParseBandwidth(value, out var bandwidth, out reason))
        {
            return false;
        }

        bandwidths.Add(bandwidth);
        return true;
    }

    private static bool TryAddAttribute(
        SdpAttributeList attributes, string value, [NotNullWhen(false)] out string? reason)
    {
        if (!SdpFieldParser.TryParseAttribute(value, out var attribute, out reason))
        {
            return false;
        }

        attributes.Add(attribute);
        return true;
    }
}
