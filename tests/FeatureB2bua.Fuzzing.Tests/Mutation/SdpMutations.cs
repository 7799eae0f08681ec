namespace FeatureB2bua.Fuzzing.Tests.Mutation;

/// <summary>An SDP offer (RFC 8866) with bad c= and m= lines, huge port counts and garbage attributes, in the message's body.</summary>
internal static class SdpMutations
{
    private const string Offer = "v=0\r\no=alice 2890844526 2890844526 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\n";

    private static readonly string[] Connections =
    [
        "c=IN IP4", "c=IN IP4 999.1.1.1", "c=IN IP6 ::g", "c=IN IP4 224.2.1.1/127/99999999999", "c=IN IP4 224.2.1.1/-1", "c=XX IP4 1.2.3.4", "c=", "c=IN IP4 127.0.0.1 extra", "c=IN IP6 [::1]",
    ];

    private static readonly string[] Media =
    [
        "m=audio 99999 RTP/AVP 0", "m=audio 49170/4294967296 RTP/AVP 0", "m=audio 49170/0 RTP/AVP 0", "m=audio 49170/65535 RTP/AVP 0", "m=audio -1 RTP/AVP 0",
        "m=audio 49170 RTP/AVP", "m=", "m=audio", "m=audio 49170 RTP/AVP 999999999999", "m=audio 49170 RTP/AVP " + string.Join(' ', Enumerable.Range(0, 2000)),
        "m=video 0 RTP/AVP 31", "m=audio 4294967296 RTP/AVP 0",
    ];

    private static readonly string[] Attributes =
    [
        "a=rtpmap:", "a=rtpmap:0", "a=rtpmap:999999999999 PCMU/8000", "a=rtpmap:0 /", "a=rtpmap:0 PCMU/8000/-1", "a=rtpmap:0 PCMU/99999999999999", "a=rtpmap:x y/z",
        "a=fmtp:", "a=fmtp:101", "a=rtcp:70000 IN IP4", "a=rtcp:-1", "a=ptime:-1", "a=ptime:99999999999", "a=sendrecv:x", "a=", "a=:", "a=rtpmap:0 PCMU/8000/2/3/4",
    ];

    private static readonly string[] SessionLines = ["v=0", "v=1", "o=- x y IN IP4", "t=99999999999999999999 0", "b=AS:99999999999999999999", "s=", "z=1 -99999999999999999999s", "k=prompt", "x=unknown"];

    public static byte[] Apply(byte[] bytes, Random random)
    {
        var message = EditableMessage.Parse(bytes);
        var body = message.Get("Content-Type")?.Contains("sdp", StringComparison.OrdinalIgnoreCase) == true && message.Body.Length > 0 ? message.Body : Offer;
        var lines = body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ToList();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            switch (random.Next(5))
            {
                case 0:
                    Replace(lines, "c=", Connections[random.Next(Connections.Length)]);
                    break;
                case 1:
                    Replace(lines, "m=", Media[random.Next(Media.Length)]);
                    break;
                case 2:
                    lines.Insert(random.Next(1, lines.Count + 1), Attributes[random.Next(Attributes.Length)]);
                    break;
                case 3:
                    lines.Insert(random.Next(lines.Count + 1), SessionLines[random.Next(SessionLines.Length)]);
                    break;
                default:
                    lines.AddRange(Enumerable.Repeat("m=audio 49170 RTP/AVP 0", random.Next(50, 600)));
                    break;
            }
        }

        message.Body = string.Join("\r\n", lines) + "\r\n";
        message.Set("Content-Type", "application/sdp");

        // Mostly an honest Content-Length, so that the body reaches the SDP parser.
        if (random.Next(4) != 0)
        {
            message.FixContentLength();
        }

        return message.ToBytes();
    }

    private static void Replace(List<string> lines, string prefix, string replacement)
    {
        var index = lines.FindIndex(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (index < 0)
        {
            lines.Add(replacement);
        }
        else
        {
            lines[index] = replacement;
        }
    }
}
