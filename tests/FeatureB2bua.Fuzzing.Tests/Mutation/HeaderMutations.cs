namespace FeatureB2bua.Fuzzing.Tests.Mutation;

/// <summary>Header-level damage: headers that must appear once appearing twice, and numbers outside their range.</summary>
internal static class HeaderMutations
{
    private static readonly string[] Duplicable = ["Via", "Content-Length", "CSeq", "Call-ID", "From", "To"];

    // Each entry: header name, then values a liberal parser might overflow on (RFC 3261 §25 gives the ranges).
    private static readonly (string Header, string[] Values)[] Numbers =
    [
        ("CSeq", ["4294967296 INVITE", "99999999999999999999 REGISTER", "-1 OPTIONS", "18446744073709551616 BYE", "1e9 INVITE"]),
        ("Content-Length", ["100000000000000000000", "2147483648", "4294967295", "-1", "0x10", "999999999"]),
        ("Max-Forwards", ["-1", "99999999", "256", "4294967296", "18446744073709551617"]),
        ("Expires", ["4294967296", "99999999999999999999999999", "-5", "1.5"]),
        ("Min-Expires", ["4294967296", "-1"]),
        ("Contact", ["<sip:x@127.0.0.1:70000>;expires=99999999999999999999", "<sip:x@127.0.0.1:0>;q=1.0000000001", "<sip:x@127.0.0.1:99999999999>;q=99", "<sip:x@127.0.0.1:-1>;expires=-1"]),
        ("Via", ["SIP/2.0/UDP 127.0.0.1:70000;branch=z9hG4bKhuge", "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKhuge;rport=70000", "SIP/2.0/UDP 127.0.0.1:4294967297;branch=z9hG4bKhuge;ttl=99999", "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKhuge;received=999.999.999.999"]),
        ("Session-Expires", ["99999999999999999999;refresher=uac", "4294967296", "-90"]),
        ("Min-SE", ["4294967296", "99999999999999999999;x=1"]),
        ("Retry-After", ["99999999999999999999 (x);duration=99999999999999"]),
        ("RSeq", ["4294967296"]),
        ("RAck", ["4294967296 99999999999999 INVITE"]),
    ];

    public static byte[] Duplicate(byte[] bytes, Random random)
    {
        var message = EditableMessage.Parse(bytes);
        var name = Duplicable[random.Next(Duplicable.Length)];
        var index = message.Find(name);
        if (index < 0)
        {
            index = Math.Min(1, message.Lines.Count - 1);
        }

        var line = message.Lines[index];
        switch (random.Next(4))
        {
            case 0:
                // An exact copy somewhere else in the header block.
                message.Lines.Insert(random.Next(1, message.Lines.Count + 1), line);
                break;
            case 1:
                // A copy whose value differs (two Content-Lengths, two CSeqs, two Call-IDs).
                message.Lines.Insert(index + 1, $"{EditableMessage.NameOf(line) ?? name}: {random.Next()} {EditableMessage.ValueOf(line)}");
                break;
            case 2:
                // A second tag parameter on the same From or To.
                var header = random.Next(2) == 0 ? "From" : "To";
                var at = message.Find(header);
                if (at > 0)
                {
                    message.Lines[at] += $";tag=dup{random.Next(1000)};tag=again";
                }

                break;
            default:
                // A stack of Vias far longer than any real path.
                var via = message.Get("Via") ?? "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKstack";
                var copies = Math.Min(random.Next(10, 400), (FuzzCase.MaxBytes / (via.Length + 7)) + 1);
                message.Lines.InsertRange(Math.Max(1, message.Find("Via")), Enumerable.Repeat($"Via: {via}", copies));
                break;
        }

        return message.ToBytes();
    }

    public static byte[] HugeNumber(byte[] bytes, Random random)
    {
        var message = EditableMessage.Parse(bytes);
        for (var i = random.Next(1, 3); i > 0; i--)
        {
            var (header, values) = Numbers[random.Next(Numbers.Length)];
            message.Set(header, values[random.Next(values.Length)]);
        }

        if (random.Next(3) == 0)
        {
            // A port past 65535 in the Request-URI too.
            var parts = message.Lines[0].Split(' ');
            if (parts.Length == 3 && !parts[0].StartsWith("SIP/", StringComparison.Ordinal))
            {
                message.Lines[0] = $"{parts[0]} sip:x@127.0.0.1:{(random.Next(2) == 0 ? "70000" : "99999999999999999999")} {parts[2]}";
            }
        }

        return message.ToBytes();
    }
}
