namespace FeatureB2bua.Fuzzing.Tests.Mutation;

/// <summary>
/// Damages a SIP message by one named strategy. Everything it does is drawn from the <see cref="Random"/> it is
/// given, so the same seed and input give the same bytes: a failing case replays from its seed.
/// </summary>
public static class MessageMutator
{
    // Bytes that mean something to a SIP parser, plus control and high bytes that mean nothing.
    private static readonly byte[] Interesting = [.. ":;,<>\"\\\r\n \t%@[]=/?&"u8, 0x00, 0x7F, 0x80, 0xC0, 0xFF];

    public static byte[] Apply(MutationStrategy strategy, byte[] message, Random random) => strategy switch
    {
        MutationStrategy.BitFlip => FlipBits(message, random),
        MutationStrategy.ByteInsert => InsertBytes(message, random),
        MutationStrategy.ByteDelete => DeleteBytes(message, random),
        MutationStrategy.Truncate => Truncate(message, random),
        MutationStrategy.DuplicateHeader => HeaderMutations.Duplicate(message, random),
        MutationStrategy.HugeNumber => HeaderMutations.HugeNumber(message, random),
        MutationStrategy.OddEncoding => EncodingMutations.Apply(message, random),
        MutationStrategy.Sdp => SdpMutations.Apply(message, random),
        MutationStrategy.Digest => DigestMutations.Apply(message, random),
        _ => throw new ArgumentOutOfRangeException(nameof(strategy)),
    };

    private static byte[] FlipBits(byte[] message, Random random)
    {
        var bytes = (byte[])message.Clone();
        for (var i = random.Next(1, 9); i > 0 && bytes.Length > 0; i--)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }

        return bytes;
    }

    private static byte[] InsertBytes(byte[] message, Random random)
    {
        var bytes = new List<byte>(message);
        for (var i = random.Next(1, 9); i > 0; i--)
        {
            bytes.Insert(random.Next(bytes.Count + 1), random.Next(4) == 0 ? (byte)random.Next(256) : Interesting[random.Next(Interesting.Length)]);
        }

        return [.. bytes];
    }

    private static byte[] DeleteBytes(byte[] message, Random random)
    {
        var bytes = new List<byte>(message);
        for (var i = random.Next(1, 5); i > 0 && bytes.Count > 0; i--)
        {
            var at = random.Next(bytes.Count);
            bytes.RemoveRange(at, Math.Min(random.Next(1, 17), bytes.Count - at));
        }

        return [.. bytes];
    }

    /// <summary>Cuts at a boundary a parser must get right: start line, inside a header, between CR and LF, before the empty line, inside the body.</summary>
    private static byte[] Truncate(byte[] message, Random random)
    {
        var span = message.AsSpan();
        var headerEnd = span.IndexOf("\r\n\r\n"u8);
        var firstLineEnd = Math.Max(1, span.IndexOf("\r\n"u8));
        int cut;
        switch (random.Next(6))
        {
            case 0:
                cut = random.Next(1, firstLineEnd + 1);
                break;
            case 1:
                var headersEnd = headerEnd < 0 ? message.Length : headerEnd;
                cut = firstLineEnd >= headersEnd ? headersEnd : random.Next(firstLineEnd + 2, headersEnd + 1);
                break;
            case 2:
                var crlfs = Enumerable.Range(0, message.Length - 1).Where(i => message[i] == '\r' && message[i + 1] == '\n').ToArray();
                cut = crlfs.Length == 0 ? message.Length / 2 : crlfs[random.Next(crlfs.Length)] + 1;
                break;
            case 3:
                cut = headerEnd < 0 ? message.Length : headerEnd + 2 + random.Next(2);
                break;
            case 4:
                var bodyStart = headerEnd < 0 ? message.Length : headerEnd + 4;
                cut = bodyStart + random.Next(message.Length - bodyStart + 1);
                break;
            default:
                cut = random.Next(message.Length + 1);
                break;
        }

        return message[..Math.Clamp(cut, 0, message.Length)];
    }
}
