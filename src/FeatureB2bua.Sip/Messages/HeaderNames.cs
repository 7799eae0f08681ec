using System.Text;

namespace FeatureB2bua.Sip.Messages;

/// <summary>Maps wire header names (long and compact, any case) to ids, and ids to their canonical spelling.</summary>
public static class HeaderNames
{
    private static readonly byte[][] Canonical = BuildCanonical();

    /// <summary>Ids grouped by name length, so a lookup compares against one or two candidates, not every name.</summary>
    private static readonly HeaderId[][] ByLength = BuildByLength();

    public static ReadOnlySpan<byte> GetCanonicalName(HeaderId id) => Canonical[(int)id];

    public static string GetName(HeaderId id) => Encoding.ASCII.GetString(Canonical[(int)id]);

    /// <summary>Header names are case-insensitive (RFC 3261 §7.3.1); compact forms are in §7.3.3 and RFC 3515/4028.</summary>
    public static HeaderId Lookup(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            return (name[0] | 0x20) switch
            {
                'v' => HeaderId.Via,
                'f' => HeaderId.From,
                't' => HeaderId.To,
                'i' => HeaderId.CallId,
                'm' => HeaderId.Contact,
                'l' => HeaderId.ContentLength,
                'c' => HeaderId.ContentType,
                'e' => HeaderId.ContentEncoding,
                'k' => HeaderId.Supported,
                's' => HeaderId.Subject,
                'o' => HeaderId.Event,
                'r' => HeaderId.ReferTo,
                'b' => HeaderId.ReferredBy,
                'u' => HeaderId.AllowEvents,
                'x' => HeaderId.SessionExpires,
                _ => HeaderId.Unknown,
            };
        }

        if (name.Length >= ByLength.Length)
        {
            return HeaderId.Unknown;
        }

        var first = name[0] | 0x20;
        foreach (var id in ByLength[name.Length])
        {
            var candidate = Canonical[(int)id];
            if ((candidate[0] | 0x20) == first && Ascii.EqualsIgnoreCase(candidate, name))
            {
                return id;
            }
        }

        return HeaderId.Unknown;
    }

    /// <summary>Headers that may appear once only (RFC 3261 §20, "multi01" of RFC 4475 §3.3.8).</summary>
    public static bool IsSingleValued(HeaderId id) => id is HeaderId.From or HeaderId.To or HeaderId.CallId
        or HeaderId.CSeq or HeaderId.MaxForwards or HeaderId.ContentLength or HeaderId.ContentType
        or HeaderId.Expires or HeaderId.MinExpires;

    private static HeaderId[][] BuildByLength()
    {
        var longest = Canonical.Max(n => n.Length);
        var table = new HeaderId[longest + 1][];
        for (var length = 0; length <= longest; length++)
        {
            table[length] = [.. Enum.GetValues<HeaderId>().Where(id => id != HeaderId.Unknown && Canonical[(int)id].Length == length)];
        }

        return table;
    }

    private static byte[][] BuildCanonical()
    {
        var names = new string[Enum.GetValues<HeaderId>().Length];
        names[(int)HeaderId.Unknown] = string.Empty;
        names[(int)HeaderId.Via] = "Via";
        names[(int)HeaderId.From] = "From";
        names[(int)HeaderId.To] = "To";
        names[(int)HeaderId.CallId] = "Call-ID";
        names[(int)HeaderId.CSeq] = "CSeq";
        names[(int)HeaderId.Contact] = "Contact";
        names[(int)HeaderId.Route] = "Route";
        names[(int)HeaderId.RecordRoute] = "Record-Route";
        names[(int)HeaderId.MaxForwards] = "Max-Forwards";
        names[(int)HeaderId.ContentLength] = "Content-Length";
        names[(int)HeaderId.ContentType] = "Content-Type";
        names[(int)HeaderId.ContentEncoding] = "Content-Encoding";
        names[(int)HeaderId.Expires] = "Expires";
        names[(int)HeaderId.MinExpires] = "Min-Expires";
        names[(int)HeaderId.Allow] = "Allow";
        names[(int)HeaderId.Accept] = "Accept";
        names[(int)HeaderId.Supported] = "Supported";
        names[(int)HeaderId.Require] = "Require";
        names[(int)HeaderId.ProxyRequire] = "Proxy-Require";
        names[(int)HeaderId.Unsupported] = "Unsupported";
        names[(int)HeaderId.Authorization] = "Authorization";
        names[(int)HeaderId.WwwAuthenticate] = "WWW-Authenticate";
        names[(int)HeaderId.ProxyAuthorization] = "Proxy-Authorization";
        names[(int)HeaderId.ProxyAuthenticate] = "Proxy-Authenticate";
        names[(int)HeaderId.UserAgent] = "User-Agent";
        names[(int)HeaderId.Server] = "Server";
        names[(int)HeaderId.Subject] = "Subject";
        names[(int)HeaderId.Event] = "Event";
        names[(int)HeaderId.ReferTo] = "Refer-To";
        names[(int)HeaderId.ReferredBy] = "Referred-By";
        names[(int)HeaderId.AllowEvents] = "Allow-Events";
        names[(int)HeaderId.SessionExpires] = "Session-Expires";
        names[(int)HeaderId.MinSE] = "Min-SE";
        names[(int)HeaderId.RetryAfter] = "Retry-After";
        names[(int)HeaderId.Date] = "Date";
        names[(int)HeaderId.Timestamp] = "Timestamp";
        names[(int)HeaderId.Warning] = "Warning";
        names[(int)HeaderId.Diversion] = "Diversion";
        names[(int)HeaderId.HistoryInfo] = "History-Info";

        var result = new byte[names.Length][];
        for (var i = 0; i < names.Length; i++)
        {
            result[i] = Encoding.ASCII.GetBytes(names[i]);
        }

        return result;
    }
}
