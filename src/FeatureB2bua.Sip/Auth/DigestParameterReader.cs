using System.Text;

namespace FeatureB2bua.Sip.Auth;

internal enum DigestScheme
{
    Digest,
    Other,
    Malformed,
}

internal enum DigestReadResult
{
    Parameter,
    End,
    Malformed,
}

/// <summary>
/// Walks <c>Digest LWS digest-cln *(COMMA digest-cln)</c> (RFC 3261 §25.1, RFC 7235 §2.1) one auth-param
/// at a time without allocating. Values may be tokens or quoted strings wherever the grammar names either:
/// phones quote tokens and leave strings bare, so which form a parameter must use is not enforced.
/// </summary>
internal ref struct DigestParameterReader
{
    private readonly ReadOnlySpan<byte> _input;
    private int _position;

    private DigestParameterReader(ReadOnlySpan<byte> input, int position)
    {
        _input = input;
        _position = position;
    }

    /// <summary>Reads the auth-scheme; on <see cref="DigestScheme.Digest"/> the reader is positioned at the first parameter.</summary>
    public static DigestScheme Open(ReadOnlySpan<byte> value, out DigestParameterReader reader)
    {
        reader = default;
        var start = SkipLws(value, 0);
        var end = SkipToken(value, start);
        if (end == start)
        {
            return DigestScheme.Malformed;
        }

        // RFC 7235 §2.1: the scheme is a case-insensitive token.
        if (!Ascii.EqualsIgnoreCase(value[start..end], "Digest"u8))
        {
            return DigestScheme.Other;
        }

        var parameters = SkipLws(value, end);
        if (parameters == end && end < value.Length)
        {
            return DigestScheme.Malformed;
        }

        reader = new DigestParameterReader(value, parameters);
        return DigestScheme.Digest;
    }

    public DigestReadResult Next(out DigestParameter parameter)
    {
        parameter = default;

        // RFC 7230 §7: a recipient accepts empty list elements, so ",," and a trailing "," are skipped.
        while (true)
        {
            _position = SkipLws(_input, _position);
            if (_position == _input.Length)
            {
                return DigestReadResult.End;
            }

            if (_input[_position] != (byte)',')
            {
                break;
            }

            _position++;
        }

        var nameStart = _position;
        _position = SkipToken(_input, _position);
        if (_position == nameStart)
        {
            return DigestReadResult.Malformed;
        }

        var name = _input[nameStart.._position];

        // RFC 3261 §25.1 EQUAL = SWS "=" SWS.
        _position = SkipLws(_input, _position);
        if (_position == _input.Length || _input[_position] != (byte)'=')
        {
            return DigestReadResult.Malformed;
        }

        _position = SkipLws(_input, _position + 1);
        ReadOnlySpan<byte> value;
        bool quoted;
        if (_position < _input.Length && _input[_position] == (byte)'"')
        {
            var close = FindClosingQuote(_input, _position + 1);
            if (close < 0)
            {
                return DigestReadResult.Malformed;
            }

            value = _input[(_position + 1)..close];
            quoted = true;
            _position = close + 1;
        }
        else
        {
            var valueStart = _position;
            while (_position < _input.Length && IsBareValueByte(_input[_position]))
            {
                _position++;
            }

            if (_position == valueStart)
            {
                return DigestReadResult.Malformed;
            }

            value = _input[valueStart.._position];
            quoted = false;
        }

        // RFC 3261 §25.1 COMMA = SWS "," SWS: the item ends at a comma or at the end of the value.
        _position = SkipLws(_input, _position);
        if (_position < _input.Length)
        {
            if (_input[_position] != (byte)',')
            {
                return DigestReadResult.Malformed;
            }

            _position++;
        }

        parameter = new DigestParameter(name, value, quoted);
        return DigestReadResult.Parameter;
    }

    /// <summary>RFC 3261 §25.1 LWS = [*WSP CRLF] 1*WSP; a bare LF counts as CRLF and a line end may close the value.</summary>
    private static int SkipLws(ReadOnlySpan<byte> input, int position)
    {
        while (position < input.Length)
        {
            if (input[position] is (byte)' ' or (byte)'\t')
            {
                position++;
                continue;
            }

            var fold = FoldLength(input, position);
            if (fold == 0)
            {
                break;
            }

            position += fold;
        }

        return position;
    }

    internal static int FoldLength(ReadOnlySpan<byte> input, int position)
    {
        var length = input[position] switch
        {
            (byte)'\r' when position + 1 < input.Length && input[position + 1] == (byte)'\n' => 2,
            (byte)'\n' => 1,
            _ => 0,
        };
        if (length == 0)
        {
            return 0;
        }

        var next = position + length;
        return next == input.Length || input[next] is (byte)' ' or (byte)'\t' ? length : 0;
    }

    private static int SkipToken(ReadOnlySpan<byte> input, int position)
    {
        while (position < input.Length && IsTokenByte(input[position]))
        {
            position++;
        }

        return position;
    }

    /// <summary>Index of the closing DQUOTE, or -1 when the string is unterminated or holds a control character.</summary>
    private static int FindClosingQuote(ReadOnlySpan<byte> input, int position)
    {
        for (var i = position; i < input.Length; i++)
        {
            var b = input[i];
            if (b == (byte)'"')
            {
                return i;
            }

            if (b == (byte)'\\')
            {
                // RFC 3261 §25.1 quoted-pair; escaped controls are refused as well so no CTL reaches a value.
                if (i + 1 == input.Length || IsControl(input[i + 1]))
                {
                    return -1;
                }

                i++;
                continue;
            }

            if (b is (byte)'\r' or (byte)'\n')
            {
                var fold = FoldLength(input, i);
                if (fold == 0)
                {
                    return -1;
                }

                i += fold - 1;
                continue;
            }

            if (IsControl(b))
            {
                return -1;
            }
        }

        return -1;
    }

    private static bool IsControl(byte b) => (b < 0x20 && b != (byte)'\t') || b == 0x7F;

    /// <summary>RFC 3261 §25.1 token characters.</summary>
    private static bool IsTokenByte(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'.' or (byte)'!' or (byte)'%' or (byte)'*' or (byte)'_' or (byte)'+' or (byte)'`'
            or (byte)'\'' or (byte)'~';

    /// <summary>An unquoted value runs to whitespace or a comma, so bare URIs and base64 nonces read whole.</summary>
    private static bool IsBareValueByte(byte b) => b > 0x20 && b != 0x7F && b != (byte)',' && b != (byte)'"';
}
