using System.Buffers;
using System.Buffers.Text;
using System.Text;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Messages;

/// <summary>
/// Writes canonical wire bytes (full header names, <c>Name: value</c>, CRLF) into a pooled buffer.
/// Dispose returns the buffer; <see cref="ToMessage"/> copies the bytes out into a parsed message first.
/// </summary>
public sealed class SipMessageWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public SipMessageWriter(int initialSize = 1024) => _buffer = ArrayPool<byte>.Shared.Rent(initialSize);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public void WriteRequestLine(ReadOnlySpan<byte> method, string requestUri)
    {
        Write(method);
        Write((byte)' ');
        WriteAscii(requestUri);
        Write(" SIP/2.0\r\n"u8);
    }

    public void WriteStatusLine(int statusCode, string reasonPhrase)
    {
        Write("SIP/2.0 "u8);
        WriteNumber(statusCode);
        Write((byte)' ');
        WriteUtf8(reasonPhrase);
        WriteCrlf();
    }

    public void WriteHeader(HeaderId id, ReadOnlySpan<byte> value) => WriteHeader(HeaderNames.GetCanonicalName(id), value);

    public void WriteHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Write(name);
        Write(": "u8);
        Write(value);
        WriteCrlf();
    }

    public void WriteHeader(HeaderId id, string value)
    {
        Write(HeaderNames.GetCanonicalName(id));
        Write(": "u8);
        WriteUtf8(value);
        WriteCrlf();
    }

    public void WriteHeader(string name, string value)
    {
        WriteAscii(name);
        Write(": "u8);
        WriteUtf8(value);
        WriteCrlf();
    }

    public void WriteHeader(HeaderId id, long value)
    {
        Write(HeaderNames.GetCanonicalName(id));
        Write(": "u8);
        WriteNumber(value);
        WriteCrlf();
    }

    /// <summary>Starts a header whose value the caller writes in pieces with <see cref="Write(ReadOnlySpan{byte})"/>, then <see cref="WriteCrlf"/>.</summary>
    public void BeginHeader(HeaderId id)
    {
        Write(HeaderNames.GetCanonicalName(id));
        Write(": "u8);
    }

    /// <summary>Ends the header block with Content-Length (mandatory on streams, RFC 3261 §18.3) and the body.</summary>
    public void WriteBody(ReadOnlySpan<byte> body, string? contentType = null)
    {
        if (contentType is not null && !body.IsEmpty)
        {
            WriteHeader(HeaderId.ContentType, contentType);
        }

        WriteHeader(HeaderId.ContentLength, body.Length);
        WriteCrlf();
        Write(body);
    }

    public void WriteCrlf() => Write("\r\n"u8);

    public void Write(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteAscii(string text)
    {
        Ensure(text.Length);
        _length += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(_length));
    }

    public void WriteUtf8(string text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    public void WriteNumber(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out var written);
        _length += written;
    }

    /// <summary>Starts over on the same pooled buffer.</summary>
    public void Reset() => _length = 0;

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Parses what was written; the writer's own output is always well formed.</summary>
    public SipMessage ToMessage() => SipParser.Parse(WrittenSpan, out _)!;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
