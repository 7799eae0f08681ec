using System.Buffers;
using System.Text;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// Byte sink for <see cref="SdpWriter"/> that either counts or copies, so that measuring
/// (for Content-Length) and writing run the very same code.
/// </summary>
internal ref struct SdpOutput
{
    // A field holding one of these would end the line early and let the rest be read as new lines.
    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n\0");

    private readonly Span<byte> _destination;
    private readonly bool _measureOnly;

    private SdpOutput(Span<byte> destination, bool measureOnly)
    {
        _destination = destination;
        _measureOnly = measureOnly;
    }

    /// <summary>Bytes produced so far (or that would have been, when measuring or overflowed).</summary>
    public int Length { get; private set; }

    public bool Overflowed { get; private set; }

    public static SdpOutput Measuring() => new(default, measureOnly: true);

    public static SdpOutput Into(Span<byte> destination) => new(destination, measureOnly: false);

    public void Append(string text)
    {
        if (text.AsSpan().ContainsAny(LineBreaks))
        {
            throw new ArgumentException("An SDP field contains CR, LF or NUL.");
        }

        if (_measureOnly || Overflowed)
        {
            Length += Encoding.UTF8.GetByteCount(text);
        }
        else if (Encoding.UTF8.TryGetBytes(text, _destination[Length..], out var written))
        {
            Length += written;
        }
        else
        {
            Overflowed = true;
            Length += Encoding.UTF8.GetByteCount(text);
        }
    }

    public void Append(char ascii)
    {
        if (!_measureOnly && !Overflowed)
        {
            if (Length < _destination.Length)
            {
                _destination[Length] = (byte)ascii;
            }
            else
            {
                Overflowed = true;
            }
        }

        Length++;
    }

    public void Append(ulong number)
    {
        if (!_measureOnly && !Overflowed && number.TryFormat(_destination[Length..], out var written))
        {
            Length += written;
            return;
        }

        Overflowed |= !_measureOnly;
        Length += CountDigits(number);
    }

    /// <summary>Starts a line: <c>&lt;type&gt;=</c> (RFC 8866 §5).</summary>
    public void Begin(char type)
    {
        Append(type);
        Append('=');
    }

    public void EndLine()
    {
        Append('\r');
        Append('\n');
    }

    private static int CountDigits(ulong number)
    {
        var digits = 1;
        while (number >= 10)
        {
            number /= 10;
            digits++;
        }

        return digits;
    }
}
