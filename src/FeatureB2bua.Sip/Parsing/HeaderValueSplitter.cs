namespace FeatureB2bua.Sip.Parsing;

/// <summary>Splits a header value at commas that are outside quoted strings and &lt;&gt; (RFC 3261 §7.3.1).</summary>
public ref struct HeaderValueSplitter(ReadOnlySpan<byte> value)
{
    private readonly ReadOnlySpan<byte> _value = value;
    private int _position;

    public ReadOnlySpan<byte> Current { get; private set; }

    public readonly HeaderValueSplitter GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_position > _value.Length)
        {
            return false;
        }

        var start = _position;
        var inQuotes = false;
        var inAngle = false;
        var i = start;
        for (; i < _value.Length; i++)
        {
            var b = _value[i];
            if (inQuotes)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    inQuotes = false;
                }
            }
            else if (b == '"')
            {
                inQuotes = true;
            }
            else if (b == '<')
            {
                inAngle = true;
            }
            else if (b == '>')
            {
                inAngle = false;
            }
            else if (b == ',' && !inAngle)
            {
                break;
            }
        }

        _position = i + 1;
        Current = Trim(_value[start..Math.Min(i, _value.Length)]);
        return true;
    }

    internal static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> span)
    {
        var s = 0;
        var e = span.Length;
        while (s < e && ByteClass.IsLws(span[s]))
        {
            s++;
        }

        while (e > s && ByteClass.IsLws(span[e - 1]))
        {
            e--;
        }

        return span[s..e];
    }
}
