using System.Globalization;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// One media section: the m= line and the i=, c=, b=, k= and a= lines under it (RFC 8866 §5.14).
/// </summary>
public sealed class MediaDescription
{
    private const string PtimeName = "ptime";

    public MediaDescription(string media, int port, string protocol)
    {
        Media = media;
        Port = port;
        Protocol = protocol;
    }

    /// <summary>audio, video, text, application, message, image, ...</summary>
    public string Media
    {
        get;
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            field = value;
        }
    }

    /// <summary>Transport port; 0 rejects or disables the stream (RFC 3264 §6).</summary>
    public int Port
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65535);
            field = value;
        }
    }

    /// <summary>The <c>/2</c> in <c>m=audio 49170/2 ...</c>; null when absent.</summary>
    public int? PortCount
    {
        get;
        set
        {
            if (value is { } count)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
            }

            field = value;
        }
    }

    /// <summary>RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF, ...</summary>
    public string Protocol
    {
        get;
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            field = value;
        }
    }

    /// <summary>Media formats in preference order; RTP payload type numbers for RTP profiles.</summary>
    public List<string> Formats { get; } = [];

    /// <summary>i= (RFC 8866 §5.4).</summary>
    public string? Information { get; set; }

    /// <summary>Media-level c=; when null the session-level one applies (RFC 8866 §5.7).</summary>
    public SdpConnection? Connection { get; set; }

    public List<SdpBandwidth> Bandwidths { get; } = [];

    /// <summary>k= (RFC 8866 §5.12), obsolete but passed through.</summary>
    public string? EncryptionKey { get; set; }

    public SdpAttributeList Attributes { get; } = [];

    /// <summary>
    /// This section's own direction attribute; <see cref="SessionDescription.GetEffectiveDirection"/>
    /// applies the session-level fallback.
    /// </summary>
    public MediaDirection? Direction => Attributes.Direction;

    public void SetDirection(MediaDirection direction) => Attributes.SetDirection(direction);

    /// <summary>a=ptime in milliseconds (RFC 8866 §6.4); null when absent or not a whole number.</summary>
    public int? Ptime
    {
        get => SdpText.TryParseInt32(Attributes.GetValue(PtimeName), out var ms) ? ms : null;
        set
        {
            if (value is not { } ms)
            {
                Attributes.RemoveAll(PtimeName);
                return;
            }

            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ms);
            Attributes.Set(PtimeName, ms.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>a=rtcp (RFC 3605); setting replaces it in place, null removes it.</summary>
    public SdpRtcp? Rtcp
    {
        get => SdpRtcp.TryParse(Attributes.GetValue(SdpRtcp.AttributeName), out var rtcp) ? rtcp : null;
        set
        {
            if (value is null)
            {
                Attributes.RemoveAll(SdpRtcp.AttributeName);
            }
            else
            {
                Attributes.Set(value.ToAttribute());
            }
        }
    }

    public SdpRtpMap? FindRtpMap(int payloadType)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Name == SdpRtpMap.AttributeName
                && SdpRtpMap.TryParse(attribute.Value, out var rtpMap)
                && rtpMap.PayloadType == payloadType)
            {
                return rtpMap;
            }
        }

        return null;
    }

    /// <summary>Every well-formed a=rtpmap, in attribute order.</summary>
    public IReadOnlyList<SdpRtpMap> GetRtpMaps()
    {
        var result = new List<SdpRtpMap>();
        foreach (var attribute in Attributes)
        {
            if (attribute.Name == SdpRtpMap.AttributeName && SdpRtpMap.TryParse(attribute.Value, out var rtpMap))
            {
                result.Add(rtpMap);
            }
        }

        return result;
    }

    public SdpFmtp? FindFmtp(int payloadType)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Name == SdpFmtp.AttributeName
                && SdpFmtp.TryParse(attribute.Value, out var fmtp)
                && fmtp.PayloadType == payloadType)
            {
                return fmtp;
            }
        }

        return null;
    }

    /// <summary>Every well-formed a=fmtp for an RTP payload type, in attribute order.</summary>
    public IReadOnlyList<SdpFmtp> GetFmtps()
    {
        var result = new List<SdpFmtp>();
        foreach (var attribute in Attributes)
        {
            if (attribute.Name == SdpFmtp.AttributeName && SdpFmtp.TryParse(attribute.Value, out var fmtp))
            {
                result.Add(fmtp);
            }
        }

        return result;
    }
}
