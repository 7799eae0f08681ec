using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Auth;

/// <summary>One auth-param as read from the wire; <see cref="Value"/> is still escaped when quoted.</summary>
internal readonly ref struct DigestParameter
{
    private const int StackLimit = 256;

    public DigestParameter(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool isQuoted)
    {
        Name = name;
        Value = value;
        IsQuoted = isQuoted;
    }

    public ReadOnlySpan<byte> Name { get; }

    public ReadOnlySpan<byte> Value { get; }

    public bool IsQuoted { get; }

    /// <summary>Position of the name in <paramref name="names"/>, or -1; RFC 7235 §2.1 names match case-insensitively.</summary>
    public int IndexIn(ReadOnlySpan<string> names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(Name, names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Unescapes quoted-pairs, drops fold line ends and decodes UTF-8 (RFC 3261 §25.1 UTF8-NONASCII).</summary>
    public bool TryGetString([NotNullWhen(true)] out string? text)
    {
        text = null;
        if (!IsQuoted || Value.IndexOfAny("\\\r\n"u8) < 0)
        {
            return TryDecode(Value, out text);
        }

        byte[]? rented = null;
        Span<byte> buffer = Value.Length <= StackLimit
            ? stackalloc byte[StackLimit]
            : rented = ArrayPool<byte>.Shared.Rent(Value.Length);
        try
        {
            var length = 0;
            for (var i = 0; i < Value.Length; i++)
            {
                var b = Value[i];
                if (b == (byte)'\\')
                {
                    buffer[length++] = Value[++i];
                }
                else if (b is not ((byte)'\r' or (byte)'\n'))
                {
                    buffer[length++] = b;
                }
            }

            return TryDecode(buffer[..length], out text);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The value of a token-valued parameter (algorithm, qop, stale, nc, userhash). Quoting is tolerated because
    /// phones send <c>qop="auth"</c>; a quoted token with escapes or folds is not a token and is refused.
    /// </summary>
    public bool TryGetToken(out ReadOnlySpan<byte> token)
    {
        token = IsQuoted ? Value.Trim(" \t"u8) : Value;
        if (token.IsEmpty)
        {
            return false;
        }

        // RFC 3261 §25.1 token: a quoted "auth,auth-int" is a list, not a qop-value, and could not be written back.
        foreach (var b in token)
        {
            if (!ByteClass.IsToken(b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 2617 §3.2.1 stale: TRUE case-insensitively, anything else is false; RFC 7616 §3.3 userhash alike.</summary>
    public bool IsTrue() => TryGetToken(out var token) && Ascii.EqualsIgnoreCase(token, "true"u8);

    /// <summary>RFC 2617 §3.2.2 nc-value = 8LHEX; upper-case hex is tolerated.</summary>
    public bool TryGetNonceCount(out uint nonceCount)
    {
        nonceCount = 0;
        return TryGetToken(out var token)
            && token.Length == 8
            && uint.TryParse(token, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out nonceCount);
    }

    private static bool TryDecode(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out string? text)
    {
        text = Utf8.IsValid(utf8) ? Encoding.UTF8.GetString(utf8) : null;
        return text is not null;
    }
}
