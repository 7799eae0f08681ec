namespace FeatureB2bua.Sip.Parsing;

/// <summary>A forward-only reader over one header value, skipping linear whitespace (folding included) where the grammar allows it.</summary>
internal ref struct SipScanner(ReadOnlySpan<byte> text)
{
    private readonly ReadOnlySpan<byte> _text = text;

    public int Position { get; set; }

    public readonly bool AtEnd => Position >= _text.Length;

    public readonly byte Current => _text[Position];

    public readonly ReadOnlySpan<byte> Rest => _text[Position..];

    public readonly ReadOnlySpan<byte> Slice(int start, int end) => _text[start..end];

    public void SkipLws()
    {
        while (Position < _text.Length && ByteClass.IsLws(_text[Position]))
        {
            Position++;
        }
    }

    public readonly bool Peek(byte b) => Position < _text.Length && _text[Position] == b;

    /// <summary>Consumes <paramref name="b"/> with optional LWS on either side (SEMI, COMMA, EQUAL, SLASH of §25.1).</summary>
    public bool TryConsumeSeparator(byte b)
    {
        var saved = Position;
        SkipLws();
        if (Peek(b))
        {
            Position++;
            SkipLws();
            return true;
        }

        Position = saved;
        return false;
    }

    public bool TryConsume(byte b)
    {
        if (!Peek(b))
        {
            return false;
        }

        Position++;
        return true;
    }

    public bool TryReadToken(out ReadOnlySpan<byte> token)
    {
        var start = Position;
        while (Position < _text.Length && ByteClass.IsToken(_text[Position]))
        {
            Position++;
        }

        token = _text[start..Position];
        return token.Length > 0;
    }

    /// <summary>Reads a quoted-string, returning its contents between the quotes with quoted-pairs still escaped.</summary>
    public bool TryReadQuotedString(out ReadOnlySpan<byte> contents)
    {
        contents = default;
        if (!Peek((byte)'"'))
        {
            return false;
        }

        var start = Position + 1;
        for (var i = start; i < _text.Length; i++)
        {
            if (_text[i] == '\\')
            {
                i++;
                continue;
            }

            if (_text[i] == '"')
            {
                contents = _text[start..i];
                Position = i + 1;
                return true;
            }
        }

        return false;
    }

    public bool TryReadUInt(out ulong value, int maxDigits = 20)
    {
        value = 0;
        var start = Position;
        while (Position < _text.Length && ByteClass.IsDigit(_text[Position]))
        {
            if (Position - start >= maxDigits || value > (ulong.MaxValue - 9) / 10)
            {
                return false;
            }

            value = (value * 10) + (ulong)(_text[Position] - '0');
            Position++;
        }

        return Position > start;
    }
}
