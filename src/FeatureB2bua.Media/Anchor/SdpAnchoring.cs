using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FeatureB2bua.Sip.Sdp;

namespace FeatureB2bua.Media.Anchor;

/// <summary>Where one party receives one stream, as its SDP says; <see cref="Rtp"/> is null for a stream it holds with c=0.0.0.0.</summary>
internal sealed record RemoteStream(IPEndPoint? Rtp, IPEndPoint? Rtcp, MediaDirection Direction, PacketKind Kind, IReadOnlyList<string> Formats)
{
    /// <summary>
    /// What the party asks for: <see cref="Direction"/>, less its receiving half at c=0.0.0.0, which says that nothing
    /// is to be sent there (RFC 3264 §8.4).
    /// </summary>
    public MediaDirection Wanted => Rtp is not null ? Direction : Direction switch
    {
        MediaDirection.SendRecv => MediaDirection.SendOnly,
        MediaDirection.RecvOnly => MediaDirection.Inactive,
        var direction => direction,
    };
}

/// <summary>
/// The SDP side of the anchor: reads where a party receives each stream, and rewrites a description so that the other
/// party sends to our ports instead, with nothing of the first party's addresses left in it.
/// </summary>
internal static class SdpAnchoring
{
    /// <summary>ICE attributes name the party's own addresses (RFC 8839 §5); an anchored stream has just ours.</summary>
    private static readonly string[] IceAttributes = ["candidate", "remote-candidates", "end-of-candidates", "ice-ufrag", "ice-pwd", "ice-options", "ice-lite", "ice-mismatch", "ice-pacing"];

    /// <summary>Payload formats that carry no voice or picture (RFC 4733 events, RFC 3389 comfort noise): a stream left with only these has no codec.</summary>
    private static readonly string[] NotCodecs = ["telephone-event", "CN"];

    /// <summary>RFC 3551 §6: the encodings of the static payload types, for m= lines without a=rtpmap.</summary>
    private static readonly Dictionary<int, string> StaticEncodings = new()
    {
        [0] = "PCMU", [3] = "GSM", [4] = "G723", [5] = "DVI4", [6] = "DVI4", [7] = "LPC", [8] = "PCMA", [9] = "G722", [10] = "L16", [11] = "L16",
        [12] = "QCELP", [13] = "CN", [14] = "MPA", [15] = "G728", [16] = "DVI4", [17] = "DVI4", [18] = "G729", [25] = "CelB", [26] = "JPEG",
        [28] = "nv", [31] = "H261", [32] = "MPV", [33] = "MP2T", [34] = "H263",
    };

    /// <summary>
    /// Each m= line's receive addresses (null for a stream the party disabled with port 0, or whose transport we do
    /// not relay); false, with the reason, when a c= or m= line cannot be anchored.
    /// </summary>
    public static bool TryReadRemotes(SessionDescription sdp, AddressFamily family, out RemoteStream?[] remotes, out string? error)
    {
        remotes = new RemoteStream?[sdp.MediaDescriptions.Count];
        error = null;
        for (var i = 0; i < remotes.Length; i++)
        {
            var media = sdp.MediaDescriptions[i];
            if (media.Port == 0 || KindOf(media.Protocol) is not { } kind)
            {
                continue;
            }

            if (sdp.GetEffectiveConnection(media) is not { } connection)
            {
                error = $"m= line {i + 1} ({media.Media}) has no c= line";
                return false;
            }

            if (connection.NetType != "IN" || !IPAddress.TryParse(connection.Host, out var address))
            {
                error = $"c= '{connection.NetType} {connection.AddrType} {connection.Address}' is not an IN address we can send to";
                return false;
            }

            if (address.AddressFamily != family)
            {
                error = $"c= address {connection.Host} is {(address.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")}; media is anchored on {(family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")}";
                return false;
            }

            var rtp = connection.IsHoldAddress ? null : new IPEndPoint(address, media.Port);
            remotes[i] = new RemoteStream(rtp, rtp is null ? null : RtcpOf(media, rtp), sdp.GetEffectiveDirection(media), kind, [.. media.Formats]);
        }

        return true;
    }

    /// <summary>
    /// Puts our address and ports in (<paramref name="localPorts"/>: our RTP port facing the receiving party per m=
    /// line, null to decline the stream), drops ICE, and keeps only <paramref name="codecs"/> when given. False when
    /// the codec limit leaves no stream.
    /// </summary>
    public static bool TryRewrite(SessionDescription sdp, IPAddress ours, IReadOnlyList<int?> localPorts, IReadOnlyList<string>? codecs, out string? error)
    {
        error = null;
        var connection = Connection(ours);
        if (sdp.Connection is { IsHoldAddress: false })
        {
            sdp.Connection = connection;
        }

        StripIce(sdp.Attributes);
        var offered = 0;
        var kept = 0;
        for (var i = 0; i < sdp.MediaDescriptions.Count; i++)
        {
            var media = sdp.MediaDescriptions[i];
            if (media.Connection is { IsHoldAddress: false } || (media.Connection is null && sdp.Connection is null))
            {
                media.Connection = connection;
            }

            StripIce(media.Attributes);
            if (media.Port == 0)
            {
                Disable(media);
                continue;
            }

            offered++;
            if (i >= localPorts.Count || localPorts[i] is not { } port || (codecs is not null && !KeepCodecs(media, codecs)))
            {
                // RFC 3264 §6: port 0 declines this stream and leaves the others.
                Disable(media);
                continue;
            }

            kept++;
            media.Port = port;

            // One RTP/RTCP pair of ours stands for the stream, however many the sender asked for (RFC 8866 §5.14).
            media.PortCount = null;
            if (media.Rtcp is not null)
            {
                var muxed = media.Attributes.Contains("rtcp-mux");
                media.Rtcp = new SdpRtcp(muxed ? port : port + 1, media.Rtcp.Connection is null ? null : connection);
            }
        }

        if (offered > 0 && kept == 0)
        {
            error = codecs is null ? "no stream can be anchored" : $"no codec allowed here (allowed: {string.Join(", ", codecs)})";
            return false;
        }

        return true;
    }

    /// <summary>
    /// A hold offer for a party that is to hear music from us: every stream sendonly at our real address. RFC 3264
    /// §8.4's legacy hold, c=0.0.0.0, becomes the direction form it stands for, so the held party still has our address
    /// to send to and keeps its media path; what it answers is recvonly.
    /// </summary>
    public static void ShapeMusicOffer(SessionDescription sdp, IPAddress ours)
    {
        var connection = Connection(ours);
        if (sdp.Connection is { IsHoldAddress: true })
        {
            sdp.Connection = connection;
        }

        foreach (var media in sdp.MediaDescriptions)
        {
            if (media.Connection is { IsHoldAddress: true })
            {
                media.Connection = connection;
            }
        }

        SetDirections(sdp, [.. sdp.MediaDescriptions.Select(_ => (MediaDirection?)MediaDirection.SendOnly)]);
    }

    /// <summary>
    /// RFC 3264 §6.1: the answer to a sendonly stream is recvonly, to recvonly sendonly, to inactive inactive; to
    /// sendrecv the answerer may choose any (null).
    /// </summary>
    public static MediaDirection? AnswerTo(MediaDirection offered) => offered switch
    {
        MediaDirection.SendOnly => MediaDirection.RecvOnly,
        MediaDirection.RecvOnly => MediaDirection.SendOnly,
        MediaDirection.Inactive => MediaDirection.Inactive,
        _ => null,
    };

    /// <summary>
    /// Gives each active m= line the direction <paramref name="directions"/> names for it (null leaves it as it is). A
    /// session-level direction, which no longer holds for every stream, is moved down to the m= lines first (RFC 8866 §6.7).
    /// </summary>
    public static void SetDirections(SessionDescription sdp, IReadOnlyList<MediaDirection?> directions)
    {
        if (!directions.Any(d => d is not null))
        {
            return;
        }

        if (sdp.Direction is { } session)
        {
            sdp.Attributes.RemoveDirection();
            foreach (var media in sdp.MediaDescriptions)
            {
                if (media.Port != 0 && media.Direction is null)
                {
                    media.SetDirection(session);
                }
            }
        }

        for (var i = 0; i < sdp.MediaDescriptions.Count && i < directions.Count; i++)
        {
            if (directions[i] is { } direction && sdp.MediaDescriptions[i].Port != 0)
            {
                sdp.MediaDescriptions[i].SetDirection(direction);
            }
        }
    }

    /// <summary>
    /// For an answer of our own (the anchor plays a tone, nothing is relayed): the first audio stream over plain RTP
    /// (RTP/AVP; we have no SRTP keys to answer with) that offers PCMU or PCMA (RFC 3551 static types 0 and 8), and
    /// the formats we take of it: the first of the two it lists, then its telephone-event at 8 kHz if it has one.
    /// </summary>
    public static bool TryChooseG711(SessionDescription offer, RemoteStream?[] remotes, out int index, out string[] formats, out string? error)
    {
        string? otherProtocol = null;
        for (index = 0; index < offer.MediaDescriptions.Count; index++)
        {
            var media = offer.MediaDescriptions[index];
            if (remotes[index] is null || media.Media != "audio" || media.Formats.FirstOrDefault(f => f is "0" or "8") is not { } g711)
            {
                continue;
            }

            if (!media.Protocol.Equals("RTP/AVP", StringComparison.OrdinalIgnoreCase))
            {
                otherProtocol ??= media.Protocol;
                continue;
            }

            formats = media.Formats.FirstOrDefault(f => IsTelephoneEvent(media, f)) is { } events ? [g711, events] : [g711];
            error = null;
            return true;
        }

        formats = [];
        error = otherProtocol is null ? "no G.711 codec offered" : $"G.711 is offered only over {otherProtocol}, and our own answer is plain RTP/AVP";
        return false;
    }

    /// <summary>
    /// Our answer to <paramref name="offer"/>: stream <paramref name="index"/> accepted at our address and
    /// <paramref name="port"/> with <paramref name="formats"/>, 20 ms packets and <paramref name="direction"/>; every other
    /// m= line rejected with port 0 (RFC 3264 §6), which, like the t= line, an answer keeps from the offer.
    /// </summary>
    public static SessionDescription LocalAnswer(SessionDescription offer, IPAddress ours, int index, int port, IReadOnlyList<string> formats, MediaDirection direction)
    {
        var answer = new SessionDescription(offer.Origin, "-") { Connection = Connection(ours) };
        foreach (var timing in offer.Timings)
        {
            answer.Timings.Add(new SdpTiming(timing.Start, timing.Stop));
        }

        for (var i = 0; i < offer.MediaDescriptions.Count; i++)
        {
            var offered = offer.MediaDescriptions[i];
            var media = new MediaDescription(offered.Media, i == index ? port : 0, offered.Protocol);
            answer.MediaDescriptions.Add(media);
            if (i != index)
            {
                media.Formats.AddRange(offered.Formats);
                continue;
            }

            media.Formats.AddRange(formats);
            foreach (var format in formats)
            {
                var payloadType = int.Parse(format, NumberStyles.None, CultureInfo.InvariantCulture);
                media.Attributes.Add((offered.FindRtpMap(payloadType) ?? new SdpRtpMap(payloadType, EncodingOf(offered, format)!, 8000)).ToAttribute());
                if (offered.FindFmtp(payloadType) is { } fmtp)
                {
                    media.Attributes.Add(fmtp.ToAttribute());
                }
            }

            media.Ptime = 20;
            media.SetDirection(direction);
        }

        return answer;
    }

    /// <summary>The encoding name of a payload type: its a=rtpmap, else RFC 3551's static assignment.</summary>
    public static string? EncodingOf(MediaDescription media, string format) =>
        int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var payloadType)
            ? media.FindRtpMap(payloadType)?.EncodingName ?? StaticEncodings.GetValueOrDefault(payloadType)
            : null;

    /// <summary>RFC 4733 events at G.711's clock, the only rate a G.711 stream can carry them at.</summary>
    private static bool IsTelephoneEvent(MediaDescription media, string format) =>
        int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var payloadType)
        && media.FindRtpMap(payloadType) is { ClockRate: 8000 } rtpMap
        && rtpMap.EncodingName.Equals("telephone-event", StringComparison.OrdinalIgnoreCase);

    private static PacketKind? KindOf(string protocol) =>
        protocol.StartsWith("RTP/", StringComparison.OrdinalIgnoreCase) || protocol.StartsWith("UDP/TLS/RTP/", StringComparison.OrdinalIgnoreCase) ? PacketKind.Rtp
        : protocol.Equals("udptl", StringComparison.OrdinalIgnoreCase) || protocol.Equals("UDP", StringComparison.OrdinalIgnoreCase) ? PacketKind.Any
        : null;

    /// <summary>RFC 3605: a=rtcp names the RTCP port (and address); RFC 5761: with rtcp-mux it is the RTP port; else RTP + 1 (RFC 3550 §11).</summary>
    private static IPEndPoint RtcpOf(MediaDescription media, IPEndPoint rtp)
    {
        if (media.Attributes.Contains("rtcp-mux"))
        {
            return rtp;
        }

        if (media.Rtcp is { } rtcp)
        {
            var address = rtcp.Connection is { } c && IPAddress.TryParse(c.Host, out var a) && a.AddressFamily == rtp.AddressFamily ? a : rtp.Address;
            return new IPEndPoint(address, rtcp.Port);
        }

        return new IPEndPoint(rtp.Address, rtp.Port + 1);
    }

    /// <summary>
    /// Port 0, and no attributes: nothing of a disabled stream is used (RFC 3264 §6), and its attributes may name the
    /// sender's addresses (a=rtcp, an MSRP a=path) in ways this anchor does not rewrite.
    /// </summary>
    private static void Disable(MediaDescription media)
    {
        media.Port = 0;
        media.PortCount = null;
        media.Attributes.Clear();
    }

    private static SdpConnection Connection(IPAddress ours) =>
        ours.AddressFamily == AddressFamily.InterNetworkV6 ? SdpConnection.Ip6(ours.ToString()) : SdpConnection.Ip4(ours.ToString());

    private static void StripIce(SdpAttributeList attributes)
    {
        foreach (var name in IceAttributes)
        {
            attributes.RemoveAll(name);
        }
    }

    /// <summary>Removes the formats (and their rtpmap and fmtp lines) whose encoding is not allowed; false when no codec is left (events and comfort noise alone are none).</summary>
    private static bool KeepCodecs(MediaDescription media, IReadOnlyList<string> codecs)
    {
        if (KindOf(media.Protocol) != PacketKind.Rtp)
        {
            return true;
        }

        var removed = media.Formats.Where(f => EncodingOf(media, f) is not { } name || !codecs.Contains(name, StringComparer.OrdinalIgnoreCase)).ToHashSet(StringComparer.Ordinal);
        if (media.Formats.All(f => removed.Contains(f) || (EncodingOf(media, f) is { } name && NotCodecs.Contains(name, StringComparer.OrdinalIgnoreCase))))
        {
            return false;
        }

        media.Formats.RemoveAll(removed.Contains);
        for (var i = media.Attributes.Count - 1; i >= 0; i--)
        {
            var attribute = media.Attributes[i];
            if (attribute.Name is "rtpmap" or "fmtp" && attribute.Value is { } value && removed.Contains(value.Split(' ', 2)[0]))
            {
                media.Attributes.RemoveAt(i);
            }
        }

        return true;
    }
}
