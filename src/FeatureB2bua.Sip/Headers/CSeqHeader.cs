using System.Text;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Headers;

/// <summary>CSeq: a sequence number below 2^31 and a method (RFC 3261 §8.1.1.5, §20.16).</summary>
public sealed record CSeqHeader(uint Number, SipMethod Method, string MethodName)
{
    public static bool TryParse(ReadOnlySpan<byte> value, out CSeqHeader? cseq)
    {
        cseq = null;
        var scanner = new SipScanner(value);
        scanner.SkipLws();
        if (!scanner.TryReadUInt(out var number) || number >= 1u << 31)
        {
            return false;
        }

        var afterNumber = scanner.Position;
        scanner.SkipLws();
        if (scanner.Position == afterNumber || !scanner.TryReadToken(out var method))
        {
            return false;
        }

        scanner.SkipLws();
        if (!scanner.AtEnd)
        {
            return false;
        }

        cseq = new CSeqHeader((uint)number, SipMethods.Parse(method), Encoding.ASCII.GetString(method));
        return true;
    }

    public override string ToString() => Number + " " + MethodName;
}
