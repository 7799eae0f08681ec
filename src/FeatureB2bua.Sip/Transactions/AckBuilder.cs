using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>The ACK a client INVITE transaction sends for a non-2xx final response (RFC 3261 §17.1.1.3).</summary>
internal static class AckBuilder
{
    public static SipMessage ForNonSuccess(SipMessage invite, SipMessage response)
    {
        using var writer = new SipMessageWriter();
        writer.WriteRequestLine("ACK"u8, invite.RequestUri!.Raw);

        // Only the top Via of the INVITE, so the ACK carries the same branch.
        var splitter = new Parsing.HeaderValueSplitter(FirstValue(invite, HeaderId.Via));
        splitter.MoveNext();
        writer.WriteHeader(HeaderId.Via, splitter.Current);
        writer.WriteHeader(HeaderId.MaxForwards, 70);
        writer.WriteHeader(HeaderId.From, FirstValue(invite, HeaderId.From));

        // The To of the response: it carries the tag the UAS chose.
        writer.WriteHeader(HeaderId.To, FirstValue(response, HeaderId.To));
        writer.WriteHeader(HeaderId.CallId, FirstValue(invite, HeaderId.CallId));
        writer.BeginHeader(HeaderId.CSeq);
        writer.WriteNumber(invite.CSeq!.Number);
        writer.Write(" ACK\r\n"u8);
        for (var i = 0; i < invite.HeaderCount; i++)
        {
            if (invite.GetHeaderEntry(i).Id == HeaderId.Route)
            {
                writer.WriteHeader(HeaderId.Route, invite.GetHeaderValue(i));
            }
        }

        writer.WriteBody([]);
        return writer.ToMessage();
    }

    private static ReadOnlySpan<byte> FirstValue(SipMessage message, HeaderId id) =>
        message.TryGetHeader(id, out var value) ? value : default;
}
