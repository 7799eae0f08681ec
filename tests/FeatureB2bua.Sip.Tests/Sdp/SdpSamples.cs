using System.Text;

namespace FeatureB2bua.Sip.Tests.Sdp;

/// <summary>SDP bodies shared by the SDP tests, built line by line so trailing spaces are explicit.</summary>
internal static class SdpSamples
{
    public static readonly string[] AliceOffer =
    [
        "v=0",
        "o=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com",
        "s=-",
        "c=IN IP4 192.0.2.101",
        "t=0 0",
        "m=audio 49172 RTP/AVP 0",
        "a=rtpmap:0 PCMU/8000",
    ];

    public static readonly string[] SrtpOffer =
    [
        "v=0",
        "o=- 20518 0 IN IP4 203.0.113.1",
        "s= ",
        "t=0 0",
        "c=IN IP4 203.0.113.1",
        "m=audio 54400 RTP/SAVPF 0 8 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=ptime:20",
        "a=rtcp:54401 IN IP4 203.0.113.1",
        "a=sendonly",
        "a=ice-ufrag:F7gI",
    ];

    /// <summary>Every line type RFC 8866 §5 defines, in canonical order, plus attributes nobody here parses.</summary>
    public static readonly string[] Everything =
    [
        "v=0",
        "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1",
        "s=Call to John Smith",
        "i=SDP Offer #1",
        "u=http://www.jdoe.example.com/home.html",
        "e=Jane Doe <jane@jdoe.example.com>",
        "p=+1 617 555-6011",
        "c=IN IP4 198.51.100.1",
        "b=AS:128",
        "t=2873397496 2873404696",
        "r=7d 1h 0 25h",
        "t=0 0",
        "z=2882844526 -1h 2898848070 0",
        "k=prompt",
        "a=recvonly",
        "a=group:BUNDLE 0 1",
        "m=audio 49170 RTP/AVP 0 101",
        "i=voice",
        "b=TIAS:64000",
        "k=clear:secret",
        "a=mid:0",
        "a=extmap-allow-mixed",
        "a=empty-value:",
        "m=video 51372/2 RTP/AVP 99",
        "c=IN IP6 2001:db8::1",
        "b=AS:512",
        "a=rtpmap:99 h263-1998/90000",
        "a=fingerprint:sha-256 AB:CD:EF:01",
        "a=ssrc:1234 cname:user@example.com",
        "m=application 0 UDP/DTLS/SCTP webrtc-datachannel",
        "c=IN IP4 224.2.17.12/127",
        "a=sctp-port:5000",
    ];

    /// <summary>Joins lines with CRLF, ending the last one too, as SDP on the wire does.</summary>
    public static string Text(params string[] lines) => string.Join("\r\n", lines) + "\r\n";

    public static byte[] Bytes(params string[] lines) => Encoding.UTF8.GetBytes(Text(lines));
}
