using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Messages;

/// <summary>
/// Builds a response to a request per RFC 3261 §8.2.6: Via (all of them, the top one stamped per §18.2.1 and
/// RFC 3581), From, Call-ID and CSeq copied; To copied with a tag added for anything but 100 Trying.
/// </summary>
public static class ResponseBuilder
{
    public static SipMessage Create(SipMessage request, int statusCode, string reasonPhrase, string? toTag = null, Action<SipMessageWriter>? extraHeaders = null) =>
        Create(request, statusCode, reasonPhrase, toTag, extraHeaders, [], null);

    /// <summary>A response carrying a body, such as SDP relayed from the other leg of a call.</summary>
    public static SipMessage Create(SipMessage request, int statusCode, string reasonPhrase, string? toTag, Action<SipMessageWriter>? extraHeaders, ReadOnlySpan<byte> body, string? contentType)
    {
        using var writer = new SipMessageWriter();
        WriteHead(writer, request, statusCode, reasonPhrase, toTag);
        extraHeaders?.Invoke(writer);
        writer.WriteBody(body, contentType);
        return writer.ToMessage();
    }

    /// <summary>Writes the status line and the headers copied from the request; the caller adds its own and the body.</summary>
    public static void WriteHead(SipMessageWriter writer, SipMessage request, int statusCode, string reasonPhrase, string? toTag)
    {
        writer.WriteStatusLine(statusCode, reasonPhrase);
        var firstVia = true;
        for (var i = 0; i < request.HeaderCount; i++)
        {
            if (request.GetHeaderEntry(i).Id != HeaderId.Via)
            {
                continue;
            }

            foreach (var via in new HeaderValueSplitter(request.GetHeaderValue(i)))
            {
                writer.BeginHeader(HeaderId.Via);
                if (!firstVia || !TryWriteStampedVia(writer, request))
                {
                    writer.Write(via);
                }

                firstVia = false;
                writer.WriteCrlf();
            }
        }

        CopyFirst(writer, request, HeaderId.From);
        if (request.TryGetHeader(HeaderId.To, out var to))
        {
            writer.BeginHeader(HeaderId.To);
            writer.Write(to);
            if (statusCode != 100 && toTag is not null && request.To?.Tag is null)
            {
                writer.Write(";tag="u8);
                writer.WriteAscii(toTag);
            }

            writer.WriteCrlf();
        }

        CopyFirst(writer, request, HeaderId.CallId);
        CopyFirst(writer, request, HeaderId.CSeq);
        if (statusCode == 100)
        {
            // §8.2.6.1: a 100 Trying echoes the request's Timestamp.
            CopyFirst(writer, request, HeaderId.Timestamp);
        }
    }

    /// <summary>
    /// §18.2.1: received= when the sent-by host is not the source address; RFC 3581 §4: with rport, received=
    /// always and the source port as rport's value. Returns false when the top Via can go back as it came.
    /// </summary>
    private static bool TryWriteStampedVia(SipMessageWriter writer, SipMessage request)
    {
        var via = request.TopVia;
        var source = request.Source;
        if (via is null || source is null)
        {
            return false;
        }

        var address = source.Remote.Address.ToString();
        var addReceived = via.Received is null
            && (via.HasRPort || !string.Equals(via.Host.Trim('[', ']'), address, StringComparison.OrdinalIgnoreCase));
        var fillRPort = via.HasRPort && via.RPort is null;
        if (!addReceived && !fillRPort)
        {
            return false;
        }

        writer.Write("SIP/2.0/"u8);
        writer.WriteAscii(via.Transport);
        writer.Write((byte)' ');
        writer.WriteAscii(via.SentBy);
        foreach (var parameter in via.Parameters)
        {
            writer.Write((byte)';');
            writer.WriteAscii(parameter.Name);
            if (fillRPort && string.Equals(parameter.Name, "rport", StringComparison.OrdinalIgnoreCase))
            {
                writer.Write((byte)'=');
                writer.WriteNumber(source.Remote.Port);
            }
            else if (parameter.Value is not null)
            {
                writer.Write((byte)'=');
                writer.WriteUtf8(parameter.Value);
            }
        }

        if (addReceived)
        {
            writer.Write(";received="u8);
            writer.WriteAscii(address);
        }

        return true;
    }

    private static void CopyFirst(SipMessageWriter writer, SipMessage request, HeaderId id)
    {
        if (request.TryGetHeader(id, out var value))
        {
            writer.WriteHeader(id, value);
        }
    }
}
