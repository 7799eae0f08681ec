using FeatureB2bua.Core.Routing;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The B-leg INVITE is ours, not a forwarded A-leg INVITE: new Call-ID, From tag, Via, CSeq and Contact. The
/// caller's identity (From URI and display name) and the dialled To are kept; Via, Contact, Record-Route and
/// Route of the A side never reach the B side (topology hiding). Max-Forwards goes down by one (RFC 3261 §16.6
/// step 3, which a B2BUA honours so that loops still end). A forwarded call says so in History-Info and Diversion.
/// </summary>
public static class BLegInviteBuilder
{
    /// <param name="sessionExpires">RFC 4028 §7.1 interval to ask for, 0 for none; Min-SE goes with it.</param>
    /// <param name="offer">The caller's offer as the callee is to receive it (through the media session); empty for none.</param>
    /// <param name="history">Where features forwarded the call so far, if anywhere.</param>
    internal static SipMessage Build(
        SipMessage aInvite, CallTarget target, string via, string contact, uint sessionExpires, uint minSessionExpires, ReadOnlySpan<byte> offer, ForwardHistory? history = null)
    {
        using var writer = new SipMessageWriter();
        writer.WriteRequestLine("INVITE"u8, target.RequestUri.Raw);
        writer.WriteHeader(HeaderId.Via, via + ";branch=" + TransactionLayer.NewBranch() + ";rport");
        writer.WriteHeader(HeaderId.MaxForwards, aInvite.MaxForwards is >= 1 and var hops ? hops - 1 : 70);
        var from = aInvite.From!;
        var caller = new Sip.Headers.NameAddress(from.Uri, from.DisplayName);
        writer.WriteHeader(HeaderId.From, caller + ";tag=" + TagGenerator.New());
        writer.WriteHeader(HeaderId.To, new Sip.Headers.NameAddress(aInvite.To!.Uri, aInvite.To.DisplayName).ToString());
        writer.WriteHeader(HeaderId.CallId, TagGenerator.New() + TagGenerator.New() + "@b2bua");
        writer.WriteHeader(HeaderId.CSeq, "1 INVITE");
        writer.WriteHeader(HeaderId.Contact, contact);
        writer.WriteHeader(HeaderId.Allow, "INVITE, ACK, CANCEL, OPTIONS, BYE, INFO, UPDATE");
        if (sessionExpires > 0)
        {
            // §7.1: no refresher parameter, so the callee chooses; Supported says we can refresh if it asks us to.
            writer.WriteHeader(HeaderId.Supported, "timer");
            writer.WriteHeader(HeaderId.SessionExpires, sessionExpires);
            writer.WriteHeader(HeaderId.MinSE, minSessionExpires);
        }

        if (history?.HistoryInfo() is { } historyInfo)
        {
            writer.WriteHeader("History-Info", historyInfo);
            writer.WriteHeader("Diversion", history.Diversion()!);
        }

        writer.WriteBody(offer, offer.IsEmpty ? null : aInvite.GetHeader(HeaderId.ContentType));
        return writer.ToMessage();
    }

    /// <summary>RFC 3261 §9.1: CANCEL copies the INVITE's Request-URI, Call-ID, From, To, CSeq number and top Via (same branch).</summary>
    /// <param name="reason">A Reason header value (RFC 3326) saying why, or null.</param>
    public static SipMessage Cancel(SipMessage bInvite, string? reason = null)
    {
        using var writer = new SipMessageWriter();
        writer.WriteRequestLine("CANCEL"u8, bInvite.RequestUri!.Raw);
        writer.WriteHeader(HeaderId.Via, bInvite.GetValues(HeaderId.Via)[0]);
        writer.WriteHeader(HeaderId.MaxForwards, 70);
        writer.WriteHeader(HeaderId.From, bInvite.GetHeader(HeaderId.From)!);
        writer.WriteHeader(HeaderId.To, bInvite.GetHeader(HeaderId.To)!);
        writer.WriteHeader(HeaderId.CallId, bInvite.CallId!);
        writer.WriteHeader(HeaderId.CSeq, bInvite.CSeq!.Number + " CANCEL");
        if (reason is not null)
        {
            writer.WriteHeader("Reason", reason);
        }

        writer.WriteBody([]);
        return writer.ToMessage();
    }
}
