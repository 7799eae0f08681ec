using System.Text;
using FeatureB2bua.Sip.Sdp;

namespace FeatureB2bua.Sip.Tests.Sdp;

public sealed class SdpParserErrorTests
{
    private const string V = "v=0";
    private const string O = "o=- 1 1 IN IP4 192.0.2.1";
    private const string S = "s=-";
    private const string C = "c=IN IP4 192.0.2.1";
    private const string T = "t=0 0";
    private const string M = "m=audio 5004 RTP/AVP 0";

    private static readonly byte[] Interesting = [.. "\r\n\0 =:/0123456789amcvotsb"u8, 0xFF, 0x80];

    public static TheoryData<string[], string> Malformed => new()
    {
        { [O, S, C, T], "line 1: missing v= line" },
        { ["v=1", O, S, C, T], "line 1: unsupported SDP version" },
        { [V, S, C, T], "line 2: missing o= line" },
        { [V, O, C, T], "line 3: missing s= line" },
        { [V, O, S, C], "missing t= line" },
        { [V, O, S, T, M], "missing c= line for m= section 1 (audio)" },
        { [V, O, S, T, M, C, "m=video 5006 RTP/AVP 96"], "missing c= line for m= section 2 (video)" },
        { [V, O, S, C, T, "m=audio abc RTP/AVP 0"], "line 6: malformed m= line (port is not a number" },
        { [V, O, S, C, T, "m=audio 70000 RTP/AVP 0"], "line 6: malformed m= line (port is not a number" },
        { [V, O, S, C, T, "m=audio -1 RTP/AVP 0"], "line 6: malformed m= line (port is not a number" },
        { [V, O, S, C, T, "m=audio 5004/0 RTP/AVP 0"], "line 6: malformed m= line (port count" },
        { [V, O, S, C, T, "m=audio 5004"], "line 6: malformed m= line (missing protocol)" },
        { [V, O, S, C, T, "m="], "line 6: malformed m= line" },
        { [V, O, S, "c=IN IP4", T], "line 4: malformed c= line" },
        { [V, O, S, "c=IN IP4 192.0.2.1 extra", T], "line 4: malformed c= line" },
        { [V, "o=alice 1 x IN IP4 host", S, C, T], "line 2: malformed o= line (session version is not a number)" },
        { [V, "o=alice 1 1 IN IP4", S, C, T], "line 2: malformed o= line" },
        { [V, O, S, C, "t=now 0"], "line 5: malformed t= line" },
        { [V, O, S, C, "b=AS", T], "line 5: malformed b= line" },
        { [V, O, S, C, T, "a="], "line 6: malformed a= line" },
        { [V, O, S, C, T, "a=:value"], "line 6: malformed a= line" },
        { [V, O, S, "c IN IP4 192.0.2.1", T], "line 4: expected <type>=<value>" },
        { [V, O, S, C, T, "a"], "line 6: expected <type>=<value>" },
        { [V, O, S, C, T, "x=unknown"], "line 6: unknown line type 'x='" },
        { [V, O, S, C, T, "\u001b=escape"], "line 6: unknown line type '?='" },
        { [V, O, S, C, T, "A=sendonly"], "line 6: unknown line type 'A='" },
        { [V, O, O, S, C, T], "line 3: missing s= line" },
        { [V, O, S, C, C, T], "line 5: duplicate c= line" },
        { [V, O, S, C, T, V], "line 6: duplicate v= line" },
        { [V, O, S, C, T, M, C, C], "line 8: duplicate c= line in m= section (audio)" },
        { [V, O, S, C, T, M, T], "line 7: t= line is not allowed inside an m= section" },
        { [V, O, S, C, "r=7d 1h 0 25h", T], "line 5: r= line without a preceding t= line" },
        { [V, O, S, C, "i=te\rxt", T], "line 5: line contains NUL or a bare CR" },
        { [V, O, S, C, "i=te\0xt", T], "line 5: line contains NUL or a bare CR" },
        { [V], "missing o= line" },
        { [V, O], "missing s= line" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryParse_MalformedBody_ReturnsFalseWithMessage(string[] lines, string expectedError)
    {
        var ok = SdpParser.TryParse(SdpSamples.Bytes(lines), out var sdp, out var error);

        Assert.False(ok);
        Assert.Null(sdp);
        Assert.NotNull(error);
        Assert.StartsWith(expectedError, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n")]
    [InlineData("\n\n\n")]
    public void TryParse_EmptyBody_ReturnsFalse(string body)
    {
        Assert.False(SdpParser.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Equal("empty SDP body", error);
    }

    [Fact]
    public void TryParse_BadLine_MessageQuotesTheLine()
    {
        var body = SdpSamples.Bytes(V, O, S, C, T, "m=audio abc RTP/AVP 0");

        Assert.False(SdpParser.TryParse(body, out _, out var error));

        Assert.EndsWith(": \"m=audio abc RTP/AVP 0\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_HugeBinaryLine_MessageIsShortAndPrintable()
    {
        var line = new byte[1 << 20];
        new Random(7).NextBytes(line);
        line[0] = (byte)'x';
        line[1] = (byte)'=';
        line.AsSpan(2).Replace((byte)'\n', (byte)' ');

        Assert.False(SdpParser.TryParse(line, out _, out var error));
        Assert.True(error!.Length < 200, error);
        Assert.DoesNotContain(error, char.IsControl);
    }

    [Fact]
    public void TryParse_EveryPrefixOfValidBody_NeverThrows()
    {
        var body = SdpSamples.Bytes(SdpSamples.Everything);

        for (var length = 0; length <= body.Length; length++)
        {
            var ok = SdpParser.TryParse(body.AsSpan(0, length), out var sdp, out var error);
            Assert.True(ok ? sdp is not null && error is null : sdp is null && error is not null);
        }
    }

    [Fact]
    public void TryParse_RandomMutations_NeverThrowAndAcceptedOnesRoundTrip()
    {
        var original = SdpSamples.Bytes(SdpSamples.Everything);
        var random = new Random(20518);
        var accepted = 0;

        for (var iteration = 0; iteration < 5000; iteration++)
        {
            var mutated = Mutate(original, random);
            if (!SdpParser.TryParse(mutated, out var sdp, out var error))
            {
                Assert.False(string.IsNullOrEmpty(error));
                continue;
            }

            // Whatever was accepted must write out and parse back to the same bytes.
            accepted++;
            var written = SdpWriter.ToArray(sdp);
            Assert.True(SdpParser.TryParse(written, out var again, out error), error);
            Assert.Equal(written, SdpWriter.ToArray(again));
        }

        Assert.InRange(accepted, 1, 4999);
    }

    [Fact]
    public void TryParse_RandomGarbage_NeverThrows()
    {
        var random = new Random(8866);

        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var garbage = new byte[random.Next(0, 512)];
            random.NextBytes(garbage);
            Assert.False(SdpParser.TryParse(garbage, out _, out var error));
            Assert.DoesNotContain(error, char.IsControl);
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var edits = random.Next(1, 5);
        for (var i = 0; i < edits && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
