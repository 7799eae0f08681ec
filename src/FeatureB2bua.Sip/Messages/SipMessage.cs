using System.Text;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Messages;

/// <summary>
/// A parsed SIP message: its own copy of the wire bytes, the start line, an index of header lines in wire
/// order and the body. Typed headers are parsed when first asked for and cached; unknown headers stay raw
/// so they can pass through untouched.
/// </summary>
public sealed partial class SipMessage
{
    private readonly byte[] _buffer;
    private readonly HeaderEntry[] _headers;
    private readonly int _bodyStart;
    private readonly int _bodyLength;
    private int _tokenLength;
    private int _uriStart;
    private int _uriLength;

    internal SipMessage(byte[] buffer, HeaderEntry[] headers, int bodyStart, int bodyLength)
    {
        _buffer = buffer;
        _headers = headers;
        _bodyStart = bodyStart;
        _bodyLength = bodyLength;
    }

    public bool IsRequest { get; private set; }

    /// <summary>Set by the stack for received messages; null for messages we build.</summary>
    public MessageSource? Source { get; set; }

    public bool IsResponse => !IsRequest;

    /// <summary>The request method; <see cref="SipMethod.Unknown"/> for extension methods and for responses.</summary>
    public SipMethod Method { get; private set; }

    public ReadOnlySpan<byte> MethodToken => IsRequest ? _buffer.AsSpan(0, _tokenLength) : default;

    public string MethodName => Encoding.ASCII.GetString(MethodToken);

    public ReadOnlySpan<byte> RequestUriBytes => _buffer.AsSpan(_uriStart, _uriLength);

    public int StatusCode { get; private set; }

    public ReadOnlySpan<byte> ReasonPhraseBytes => IsRequest ? default : _buffer.AsSpan(_uriStart, _uriLength);

    public string ReasonPhrase => Encoding.UTF8.GetString(ReasonPhraseBytes);

    /// <summary>The whole message as received (or as written, for messages we build).</summary>
    public ReadOnlyMemory<byte> Raw => _buffer;

    public ReadOnlySpan<byte> Body => _buffer.AsSpan(_bodyStart, _bodyLength);

    public int HeaderCount => _headers.Length;

    public HeaderEntry GetHeaderEntry(int index) => _headers[index];

    public ReadOnlySpan<byte> GetHeaderName(int index) => _buffer.AsSpan(_headers[index].NameStart, _headers[index].NameLength);

    public ReadOnlySpan<byte> GetHeaderValue(int index) => _buffer.AsSpan(_headers[index].ValueStart, _headers[index].ValueLength);

    public bool HasHeader(HeaderId id) => IndexOf(id) >= 0;

    /// <summary>The first header line with this id.</summary>
    public bool TryGetHeader(HeaderId id, out ReadOnlySpan<byte> value)
    {
        var index = IndexOf(id);
        value = index < 0 ? default : GetHeaderValue(index);
        return index >= 0;
    }

    public string? GetHeader(HeaderId id) => TryGetHeader(id, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>The first header with this name, for headers the stack does not know by id.</summary>
    public string? GetHeader(string name)
    {
        var id = HeaderNames.Lookup(Encoding.ASCII.GetBytes(name));
        if (id != HeaderId.Unknown)
        {
            return GetHeader(id);
        }

        for (var i = 0; i < _headers.Length; i++)
        {
            if (_headers[i].Id == HeaderId.Unknown && Ascii.EqualsIgnoreCase(GetHeaderName(i), name))
            {
                return Encoding.UTF8.GetString(GetHeaderValue(i));
            }
        }

        return null;
    }

    /// <summary>Each header line with this id, whole: for headers whose values hold commas (WWW-Authenticate, Date).</summary>
    public List<string> GetHeaderLines(HeaderId id)
    {
        var lines = new List<string>();
        for (var i = 0; i < _headers.Length; i++)
        {
            if (_headers[i].Id == id)
            {
                lines.Add(Encoding.UTF8.GetString(GetHeaderValue(i)));
            }
        }

        return lines;
    }

    /// <summary>Every comma-separated value of every header line with this name, for headers the stack does not know by id (Diversion, say).</summary>
    public List<string> GetValues(string name)
    {
        var id = HeaderNames.Lookup(Encoding.ASCII.GetBytes(name));
        if (id != HeaderId.Unknown)
        {
            return GetValues(id);
        }

        var values = new List<string>();
        for (var i = 0; i < _headers.Length; i++)
        {
            if (_headers[i].Id == HeaderId.Unknown && Ascii.EqualsIgnoreCase(GetHeaderName(i), name))
            {
                foreach (var part in new HeaderValueSplitter(GetHeaderValue(i)))
                {
                    values.Add(Encoding.UTF8.GetString(part));
                }
            }
        }

        return values;
    }

    /// <summary>Every comma-separated value of every header line with this id, in wire order.</summary>
    public List<string> GetValues(HeaderId id)
    {
        var values = new List<string>();
        for (var i = 0; i < _headers.Length; i++)
        {
            if (_headers[i].Id != id)
            {
                continue;
            }

            foreach (var part in new HeaderValueSplitter(GetHeaderValue(i)))
            {
                values.Add(Encoding.UTF8.GetString(part));
            }
        }

        return values;
    }

    public override string ToString() => Encoding.UTF8.GetString(_buffer);

    internal int IndexOf(HeaderId id)
    {
        for (var i = 0; i < _headers.Length; i++)
        {
            if (_headers[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    internal bool ParseStartLine(int length, bool isResponse, out SipRejection fault)
    {
        fault = new SipRejection(SipRejectReason.BadStartLine);
        var line = _buffer.AsSpan(0, length);
        return isResponse ? ParseStatusLine(line, ref fault) : ParseRequestLine(line, ref fault);
    }

    /// <summary>Request-Line = Method SP Request-URI SP SIP-Version (RFC 3261 §7.1): single spaces, nothing trailing (RFC 4475 §3.1.2.9-10).</summary>
    private bool ParseRequestLine(ReadOnlySpan<byte> line, ref SipRejection fault)
    {
        IsRequest = true;
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
        {
            return false;
        }

        _tokenLength = firstSpace;
        foreach (var b in line[..firstSpace])
        {
            if (!ByteClass.IsToken(b))
            {
                return false;
            }
        }

        Method = SipMethods.Parse(line[..firstSpace]);
        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0)
        {
            return false;
        }

        _uriStart = firstSpace + 1;
        _uriLength = secondSpace;
        var version = rest[(secondSpace + 1)..];
        if (!version.SequenceEqual("SIP/2.0"u8))
        {
            if (version.StartsWith("SIP/"u8) && version.IndexOf((byte)' ') < 0)
            {
                fault = new SipRejection(SipRejectReason.VersionNotSupported);
            }

            return false;
        }

        if (!SipUri.TryParse(RequestUriBytes, out var uri) || uri!.Headers is not null)
        {
            // A Request-URI never carries headers (RFC 3261 §19.1.1, RFC 4475 §3.1.2.11); <> are not allowed (§3.1.2.7).
            fault = new SipRejection(SipRejectReason.BadRequestUri);
            return false;
        }

        _requestUri = uri;
        return true;
    }

    /// <summary>Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; the reason may be empty (RFC 4475 §3.1.1.13).</summary>
    private bool ParseStatusLine(ReadOnlySpan<byte> line, ref SipRejection fault)
    {
        IsRequest = false;
        if (!line.StartsWith("SIP/2.0 "u8))
        {
            if (line.IndexOf((byte)' ') > 4)
            {
                fault = new SipRejection(SipRejectReason.VersionNotSupported);
            }

            return false;
        }

        var rest = line[8..];
        if (rest.Length < 4 || rest[3] != ' ')
        {
            return false;
        }

        var code = 0;
        for (var i = 0; i < 3; i++)
        {
            if (!ByteClass.IsDigit(rest[i]))
            {
                return false;
            }

            code = (code * 10) + (rest[i] - '0');
        }

        if (code is < 100 or > 699)
        {
            return false;
        }

        StatusCode = code;
        _uriStart = 12;
        _uriLength = line.Length - 12;
        return true;
    }
}
