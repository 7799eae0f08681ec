namespace FeatureB2bua.Sip.Messages;

/// <summary>Writes a parsed message back in canonical form: known headers under their full names, values as received.</summary>
public static class SipSerializer
{
    public static void Write(SipMessage message, SipMessageWriter writer)
    {
        var raw = message.Raw.Span;
        writer.Write(raw[..raw.IndexOf((byte)'\n')].TrimEnd((byte)'\r'));
        writer.WriteCrlf();
        for (var i = 0; i < message.HeaderCount; i++)
        {
            var id = message.GetHeaderEntry(i).Id;
            var name = id == HeaderId.Unknown ? message.GetHeaderName(i) : HeaderNames.GetCanonicalName(id);
            writer.WriteHeader(name, message.GetHeaderValue(i));
        }

        writer.WriteCrlf();
        writer.Write(message.Body);
    }
}
