using System.Text;

namespace FeatureB2bua.Sip.Parsing;

internal static class SpanText
{
    public static string AsAscii(this ReadOnlySpan<byte> span) => Encoding.ASCII.GetString(span);
}
