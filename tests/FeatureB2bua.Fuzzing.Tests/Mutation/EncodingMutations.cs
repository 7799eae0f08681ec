namespace FeatureB2bua.Fuzzing.Tests.Mutation;

/// <summary>Byte sequences and layouts a text parser trips on: broken UTF-8, NULs, escapes, odd line ends, folding, huge tokens, bad IPv6 literals.</summary>
internal static class EncodingMutations
{
    private static readonly string[] BadUtf8 =
    [
        "\u00C3\u0028", "\u00FF\u00FE", "\u00ED\u00A0\u0080", "\u00F8\u0088\u0080\u0080\u0080", "\u00E2\u0082",

        // Overlong forms of '/' and NUL (RFC 3629 §3 forbids them).
        "\u00C0\u00AF", "\u00E0\u0080\u00AF", "\u00C1\u00BF", "\u00C0\u0080",
    ];

    private static readonly string[] Escapes = ["%00", "%", "%4", "%zz", "%25%32%35", "%0D%0A", "%C0%AF", "%FF"];

    private static readonly string[] BrokenIpv6 =
    [
        "[::1", "::1]", "[::1]]", "[fe80::1%eth0]", "[:::]", "[1:2:3:4:5:6:7:8:9]", "[::ffff:999.0.0.1]", "[]", "[::1]:99999", "[g::1]",
    ];

    public static byte[] Apply(byte[] bytes, Random random)
    {
        var message = EditableMessage.Parse(bytes);
        var line = random.Next(message.Lines.Count);
        switch (random.Next(9))
        {
            case 0:
                message.Lines[line] = InsertAt(message.Lines[line], BadUtf8[random.Next(BadUtf8.Length)], random);
                break;
            case 1:
                message.Lines[line] = InsertAt(message.Lines[line], new string('\0', random.Next(1, 4)), random);
                break;
            case 2:
                var parts = message.Lines[0].Split(' ');
                if (parts.Length >= 2)
                {
                    parts[1] = InsertAt(parts[1], Escapes[random.Next(Escapes.Length)], random);
                    message.Lines[0] = string.Join(' ', parts);
                }

                break;
            case 3:
                // Bare LF or bare CR ends, for every line or for one.
                var ending = random.Next(2) == 0 ? "\n" : "\r";
                var text = EditableMessage.Latin1.GetString(message.ToBytes());
                return EditableMessage.Latin1.GetBytes(random.Next(2) == 0 ? text.Replace("\r\n", ending, StringComparison.Ordinal) : ReplaceOne(text, "\r\n", ending, random));
            case 4:
                message.Lines[line] = message.Lines[line].Replace(' ', '\t');
                break;
            case 5:
                // RFC 3261 §7.3.1 folding, also where it is not allowed (right after the start line).
                message.Lines[line] = InsertAt(message.Lines[line], random.Next(2) == 0 ? "\r\n " : "\r\n\t", random);
                break;
            case 6:
                message.Lines[line] = InsertAt(message.Lines[line], new string((char)('a' + random.Next(26)), random.Next(1_000, 60_000)), random);
                break;
            case 7:
                var via = message.Find("Via");
                var target = via > 0 && random.Next(2) == 0 ? via : 0;
                message.Lines[target] = message.Lines[target].Replace("127.0.0.1", BrokenIpv6[random.Next(BrokenIpv6.Length)], StringComparison.Ordinal);
                message.Set("Contact", $"<sip:x@{BrokenIpv6[random.Next(BrokenIpv6.Length)]}:5060>");
                break;
            default:
                message.Lines[line] = message.Lines[line].Replace(":", ": \u00A0", StringComparison.Ordinal);
                break;
        }

        return message.ToBytes();
    }

    private static string InsertAt(string text, string insert, Random random) => text.Insert(random.Next(text.Length + 1), insert);

    private static string ReplaceOne(string text, string find, string replacement, Random random)
    {
        var indexes = new List<int>();
        for (var i = text.IndexOf(find, StringComparison.Ordinal); i >= 0; i = text.IndexOf(find, i + 1, StringComparison.Ordinal))
        {
            indexes.Add(i);
        }

        if (indexes.Count == 0)
        {
            return text;
        }

        var at = indexes[random.Next(indexes.Count)];
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + find.Length));
    }
}
