using System.Buffers;
using System.Text;

namespace FeatureB2bua.Sip.Auth;

/// <summary>Writes <c>Digest name=value, ...</c>; refuses what would break the header rather than emit it.</summary>
internal sealed class DigestHeaderWriter
{
    private static readonly SearchValues<char> TokenChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~");

    // Every control but HTAB: a CR or LF would end the header early and let a value inject others.
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        "\0\x01\x02\x03\x04\x05\x06\x07\x08\x0A\x0B\x0C\x0D\x0E\x0F\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C\x1D\x1E\x1F\x7F");

    private readonly StringBuilder _builder = new("Digest ", 256);
    private bool _empty = true;

    /// <summary>Writes a quoted-string with '"' and '\' escaped (RFC 3261 §25.1 quoted-pair); null is omitted.</summary>
    public void Quoted(string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.AsSpan().ContainsAny(Controls))
        {
            throw new ArgumentException($"Digest parameter '{name}' contains a control character.");
        }

        Separator();
        _builder.Append(name).Append("=\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                _builder.Append('\\');
            }

            _builder.Append(c);
        }

        _builder.Append('"');
    }

    /// <summary>Writes a bare token (RFC 3261 §25.1 token); anything else is refused.</summary>
    public void Token(string name, string value)
    {
        if (value.Length == 0 || value.AsSpan().ContainsAnyExcept(TokenChars))
        {
            throw new ArgumentException($"Digest parameter '{name}' must be a token.");
        }

        Separator();
        _builder.Append(name).Append('=').Append(value);
    }

    /// <summary>Writes tokens as one quoted, comma-separated list, as qop-options are (RFC 2617 §3.2.1).</summary>
    public void QuotedTokenList(string name, IReadOnlyList<string> values)
    {
        foreach (var value in values)
        {
            if (value.Length == 0 || value.AsSpan().ContainsAnyExcept(TokenChars))
            {
                throw new ArgumentException($"Digest parameter '{name}' must list tokens.");
            }
        }

        Quoted(name, string.Join(',', values));
    }

    public override string ToString() => _builder.ToString();

    private void Separator()
    {
        if (!_empty)
        {
            _builder.Append(", ");
        }

        _empty = false;
    }
}
