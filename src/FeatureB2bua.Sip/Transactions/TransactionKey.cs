using System.Globalization;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>
/// Matching keys. RFC 3261 §17.2.3: branch + sent-by + method (ACK matches its INVITE) for requests with the
/// magic cookie; for older requests the RFC 2543 fields (Request-URI, Call-ID, From tag, CSeq number, top Via).
/// §17.1.3: a response matches a client transaction by branch and CSeq method.
/// </summary>
public readonly record struct TransactionKey(string Branch, string SentBy, string Method)
{
    public static TransactionKey? ForServer(SipMessage request)
    {
        var via = request.TopVia;
        if (via is null || request.CSeq is null)
        {
            return null;
        }

        var method = request.Method switch
        {
            SipMethod.Ack => SipMethods.GetName(SipMethod.Invite),
            SipMethod.Unknown => request.MethodName,
            _ => SipMethods.GetName(request.Method),
        };

        if (via.IsRfc3261Branch)
        {
            return new TransactionKey(via.Branch!, via.SentBy, method);
        }

        // RFC 2543 fallback: the To tag is left out so that the ACK of a non-2xx finds its INVITE (§17.2.3).
        var legacy = string.Concat(request.RequestUri?.Raw, "|", request.CallId, "|", request.From?.Tag, "|", request.CSeq.Number.ToString(CultureInfo.InvariantCulture));
        return new TransactionKey(legacy, via.ToString(), method);
    }

    public static TransactionKey? ForClient(SipMessage message)
    {
        var branch = message.TopVia?.Branch;
        var cseq = message.CSeq;
        if (branch is null || cseq is null)
        {
            return null;
        }

        return new TransactionKey(branch, string.Empty, cseq.Method == SipMethod.Unknown ? cseq.MethodName : SipMethods.GetName(cseq.Method));
    }
}
