using System.Globalization;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>Small token and number helpers shared by the parser and the typed attribute views.</summary>
internal static class SdpText
{
    /// <summary>Digits only: SDP numbers have no sign, spaces or separators (RFC 8866 §9).</summary>
    public static bool TryParseUInt64(ReadOnlySpan<char> text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParseInt32(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParsePort(ReadOnlySpan<char> text, out int port) =>
        TryParseInt32(text, out port) && port <= 65535;

    /// <summary>
    /// Finds the next space-separated token from <paramref name="position"/>. Runs of spaces count
    /// as one separator so that doubled spaces from sloppy peers are tolerated.
    /// </summary>
    public static bool NextToken(string text, ref int position, out Range token)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }

        var start = position;
        while (position < text.Length && text[position] != ' ')
        {
            position++;
        }

        token = start..position;
        return position > start;
    }

    /// <summary>Splits into tokens; false when there are more than <paramref name="tokens"/> can hold.</summary>
    public static bool TrySplit(string text, Span<Range> tokens, out int count)
    {
        count = 0;
        var position = 0;
        while (NextToken(text, ref position, out var token))
        {
            if (count == tokens.Length)
            {
                return false;
            }

            tokens[count++] = token;
        }

        return true;
    }
}
