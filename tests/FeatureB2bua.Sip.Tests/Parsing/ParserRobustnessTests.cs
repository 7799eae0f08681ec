using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Tests.Parsing;

/// <summary>No input makes the parser, the validator or any typed view throw: bad bytes are a verdict, never an exception.</summary>
public sealed class ParserRobustnessTests
{
    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var row in Corpus.Manifest("rfc4475"))
        {
            data.Add(row[0] + ".dat");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Parse_MutatedTortureMessage_NeverThrows(string file)
    {
        var original = Corpus.Read("rfc4475", file);
        var random = new Random(file.GetHashCode(StringComparison.Ordinal) ^ 0x5a5a);
        for (var round = 0; round < 300; round++)
        {
            var bytes = Mutate(original, random);
            Exercise(bytes);
        }
    }

    [Fact]
    public void Parse_EveryPrefixOfAnInvite_NeverThrows()
    {
        var invite = Corpus.Read("rfc3665", "3.01-F01-INVITE.sip");
        for (var length = 0; length <= invite.Length; length++)
        {
            Exercise(invite.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void Parse_TruncatedBody_IsRefusedAsShorterThanContentLength()
    {
        var invite = Corpus.Read("rfc3665", "3.01-F01-INVITE.sip");

        var (_, verdict) = Corpus.Judge(invite.AsSpan(0, invite.Length - 10).ToArray());

        Assert.Equal(SipRejectReason.BodyShorterThanContentLength, verdict.Reason);
    }

    private static void Exercise(byte[] bytes)
    {
        var message = SipParser.Parse(bytes, out _);
        if (message is null)
        {
            return;
        }

        _ = SipMessageValidator.Validate(message);
        _ = message.RequestUri;
        _ = message.Vias;
        _ = message.TopVia?.SentBy;
        _ = message.TopVia?.RPort;
        _ = message.From?.Tag;
        _ = message.To?.ToString();
        _ = message.CSeq;
        _ = message.CallId;
        _ = message.Contacts;
        _ = message.Routes;
        _ = message.RecordRoutes;
        _ = message.MaxForwards;
        _ = message.Expires;
        _ = message.GetValues(HeaderId.Require);
        using var writer = new SipMessageWriter();
        SipSerializer.Write(message, writer);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0:
                for (var i = 0; i < 1 + random.Next(8); i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1:
                return bytes.AsSpan(0, random.Next(bytes.Length)).ToArray();
            case 2:
                var specials = "\r\n:;,<>\"\\@[]% =0"u8;
                bytes[random.Next(bytes.Length)] = specials[random.Next(specials.Length)];
                return bytes;
            case 3:
                var at = random.Next(bytes.Length);
                return [.. bytes.AsSpan(0, at), .. "99999999999999999999999"u8, .. bytes.AsSpan(at)];
            default:
                var lineStart = Array.IndexOf(bytes, (byte)'\n', random.Next(bytes.Length)) + 1;
                var lineEnd = lineStart > 0 ? Array.IndexOf(bytes, (byte)'\n', lineStart) : -1;
                return lineEnd < 0 ? bytes : [.. bytes.AsSpan(0, lineEnd + 1), .. bytes.AsSpan(lineStart, lineEnd - lineStart + 1), .. bytes.AsSpan(lineEnd + 1)];
        }
    }
}
