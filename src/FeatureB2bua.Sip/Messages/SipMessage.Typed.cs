using FeatureB2bua.Sip.Auth;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Messages;

/// <summary>Typed views of the headers the stack acts on, parsed on first use and cached.</summary>
public sealed partial class SipMessage
{
    private SipUri? _requestUri;
    private ViaHeader? _topVia;
    private List<ViaHeader>? _vias;
    private NameAddress? _from;
    private NameAddress? _to;
    private string? _callId;
    private CSeqHeader? _cseq;
    private List<ContactHeader>? _contacts;
    private bool _fromParsed;
    private bool _toParsed;
    private bool _cseqParsed;

    public SipUri? RequestUri => _requestUri;

    /// <summary>The first via-parm of the first Via line; null when absent or malformed.</summary>
    public ViaHeader? TopVia
    {
        get
        {
            if (_topVia is null && TryGetHeader(HeaderId.Via, out var value))
            {
                var splitter = new HeaderValueSplitter(value);
                if (splitter.MoveNext())
                {
                    _ = ViaHeader.TryParse(splitter.Current, out _topVia);
                }
            }

            return _topVia;
        }
    }

    /// <summary>Every via-parm in order; null when any is malformed.</summary>
    public IReadOnlyList<ViaHeader>? Vias => _vias ??= ParseList<ViaHeader>(HeaderId.Via, ViaHeader.TryParse);

    public NameAddress? From => ParseOnce(HeaderId.From, ref _from, ref _fromParsed);

    public NameAddress? To => ParseOnce(HeaderId.To, ref _to, ref _toParsed);

    public string? CallId => _callId ??= GetHeader(HeaderId.CallId);

    public CSeqHeader? CSeq
    {
        get
        {
            if (!_cseqParsed)
            {
                _cseqParsed = true;
                if (TryGetHeader(HeaderId.CSeq, out var value))
                {
                    _ = CSeqHeader.TryParse(value, out _cseq);
                }
            }

            return _cseq;
        }
    }

    /// <summary>Every Contact value in order; null when any is malformed.</summary>
    public IReadOnlyList<ContactHeader>? Contacts => _contacts ??= ParseList<ContactHeader>(HeaderId.Contact, ContactHeader.TryParse);

    /// <summary>Max-Forwards (0-255), -1 when absent, -2 when malformed.</summary>
    public int MaxForwards
    {
        get
        {
            if (!TryGetHeader(HeaderId.MaxForwards, out var value))
            {
                return -1;
            }

            var scanner = new SipScanner(value);
            return scanner.TryReadUInt(out var hops, 10) && scanner.AtEnd && hops <= 255 ? (int)hops : -2;
        }
    }

    /// <summary>Expires header as delta-seconds, saturated at 2^32-1 (RFC 3261 §20.19); null when absent or malformed.</summary>
    public uint? Expires => ReadDeltaSeconds(HeaderId.Expires);

    public uint? MinExpires => ReadDeltaSeconds(HeaderId.MinExpires);

    /// <summary>RFC 4028 §4 Session-Expires; null when absent or unreadable.</summary>
    public SessionExpiresHeader? SessionExpires => SessionExpiresHeader.TryParse(GetHeader(HeaderId.SessionExpires), out var header) ? header : null;

    /// <summary>RFC 4028 §5 Min-SE: delta-seconds, then generic parameters that say nothing to us.</summary>
    public uint? MinSessionExpires => ReadDeltaSeconds(HeaderId.MinSE, stopAtParameters: true);

    public List<NameAddress>? Routes => ParseList<NameAddress>(HeaderId.Route, NameAddress.TryParse);

    public List<NameAddress>? RecordRoutes => ParseList<NameAddress>(HeaderId.RecordRoute, NameAddress.TryParse);

    /// <summary>Digest credentials of the first Authorization (or Proxy-Authorization) header; null when absent.</summary>
    public DigestCredentials? GetCredentials(HeaderId id, out DigestParseError error)
    {
        error = DigestParseError.None;
        if (!TryGetHeader(id, out var value))
        {
            return null;
        }

        return DigestCredentials.TryParse(value, out var credentials, out error) ? credentials : null;
    }

    /// <summary>The digest challenge of the first WWW-Authenticate (or Proxy-Authenticate) header; null when absent or unreadable.</summary>
    public DigestChallenge? GetChallenge(HeaderId id) =>
        TryGetHeader(id, out var value) && DigestChallenge.TryParse(value, out var challenge, out _) ? challenge : null;

    internal delegate bool TryParseValue<T>(ReadOnlySpan<byte> value, out T? result);

    private NameAddress? ParseOnce(HeaderId id, ref NameAddress? cache, ref bool parsed)
    {
        if (!parsed)
        {
            parsed = true;
            if (TryGetHeader(id, out var value))
            {
                _ = NameAddress.TryParse(value, out cache);
            }
        }

        return cache;
    }

    private List<T>? ParseList<T>(HeaderId id, TryParseValue<T> parse)
        where T : class
    {
        var list = new List<T>();
        for (var i = 0; i < HeaderCount; i++)
        {
            if (GetHeaderEntry(i).Id != id)
            {
                continue;
            }

            foreach (var part in new HeaderValueSplitter(GetHeaderValue(i)))
            {
                if (!parse(part, out var item))
                {
                    return null;
                }

                list.Add(item!);
            }
        }

        return list;
    }

    private uint? ReadDeltaSeconds(HeaderId id, bool stopAtParameters = false)
    {
        if (!TryGetHeader(id, out var value))
        {
            return null;
        }

        if (stopAtParameters && value.IndexOf((byte)';') is >= 0 and var semicolon)
        {
            value = value[..semicolon].TrimEnd((byte)' ');
        }

        var digits = 0;
        ulong seconds = 0;
        foreach (var b in value)
        {
            if (!ByteClass.IsDigit(b))
            {
                return null;
            }

            digits++;
            seconds = digits > 10 ? uint.MaxValue : (seconds * 10) + (ulong)(b - '0');
        }

        return digits == 0 ? null : (uint)Math.Min(seconds, uint.MaxValue);
    }
}
