using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Parsing;

/// <summary>
/// The checks every element makes before acting on a message (RFC 3261 §8.2, §16.3): the mandatory headers
/// are there once each and can be read. Method-level answers (405, 420, 501 ...) belong to the transaction user.
/// </summary>
public static class SipMessageValidator
{
    private static readonly HeaderId[] Mandatory = [HeaderId.Via, HeaderId.From, HeaderId.To, HeaderId.CallId, HeaderId.CSeq];

    public static SipRejection Validate(SipMessage message)
    {
        foreach (var id in Mandatory)
        {
            if (!message.HasHeader(id))
            {
                return new SipRejection(SipRejectReason.MissingHeader, id);
            }
        }

        var seen = 0UL;
        for (var i = 0; i < message.HeaderCount; i++)
        {
            var id = message.GetHeaderEntry(i).Id;
            var bit = 1UL << (int)id;
            if (HeaderNames.IsSingleValued(id) && id != HeaderId.ContentLength && (seen & bit) != 0)
            {
                // RFC 4475 §3.3.8; equal duplicate Content-Lengths are tolerated by the parser, unequal ones were refused there.
                return new SipRejection(SipRejectReason.DuplicateHeader, id);
            }

            seen |= bit;
        }

        if (message.Vias is null || message.TopVia is null)
        {
            return new SipRejection(SipRejectReason.BadHeader, HeaderId.Via);
        }

        if (message.From is null)
        {
            return new SipRejection(SipRejectReason.BadHeader, HeaderId.From);
        }

        if (message.To is null)
        {
            return new SipRejection(SipRejectReason.BadHeader, HeaderId.To);
        }

        if (message.CSeq is not { } cseq)
        {
            return new SipRejection(SipRejectReason.BadHeader, HeaderId.CSeq);
        }

        if (message.MaxForwards == -2)
        {
            return new SipRejection(SipRejectReason.BadHeader, HeaderId.MaxForwards);
        }

        if (message.IsRequest)
        {
            // RFC 3261 §8.1.1.5. For an unknown method the 501 of §8.2.1 is the better answer (RFC 4475 §3.1.2.18).
            if (message.Method != SipMethod.Unknown && !message.MethodToken.SequenceEqual(SipMethods.GetBytes(cseq.Method)))
            {
                return new SipRejection(SipRejectReason.CSeqMethodMismatch, HeaderId.CSeq);
            }

            if (message.HasHeader(HeaderId.Contact) && message.Contacts is null)
            {
                return new SipRejection(SipRejectReason.BadHeader, HeaderId.Contact);
            }
        }

        return SipRejection.None;
    }
}
