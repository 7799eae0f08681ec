using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Sip.Dialogs;

/// <summary>
/// Builds requests inside a dialog (RFC 3261 §12.2.1.1): Request-URI and Route from the remote target and the
/// route set (loose routing; a strict first hop gets the remote target appended, §12.2.1.1 last paragraph),
/// From/To from the dialog, our own Via and Contact.
/// </summary>
public static class DialogRequestBuilder
{
    /// <param name="via">Our sent-by with transport, e.g. <c>SIP/2.0/UDP 192.0.2.1:5060</c>; a fresh branch is added.</param>
    /// <param name="cseq">The CSeq number: <see cref="Dialog.NextLocalCSeq"/> for new requests, the INVITE's for its ACK.</param>
    public static SipMessage Build(Dialog dialog, SipMethod method, uint cseq, string via, string contact, ReadOnlySpan<byte> body = default, string? contentType = null, Action<SipMessageWriter>? extraHeaders = null)
    {
        using var writer = new SipMessageWriter();
        var routes = dialog.RouteSet;
        var strictFirstHop = routes.Count > 0 && !routes[0].Uri.IsLooseRouter;
        writer.WriteRequestLine(SipMethods.GetBytes(method), strictFirstHop ? routes[0].Uri.Raw : dialog.RemoteTarget.Raw);
        writer.WriteHeader(HeaderId.Via, via + ";branch=" + TransactionLayer.NewBranch() + ";rport");
        writer.WriteHeader(HeaderId.MaxForwards, 70);
        writer.WriteHeader(HeaderId.From, dialog.LocalUri + ";tag=" + dialog.LocalTag);
        writer.WriteHeader(HeaderId.To, dialog.RemoteTag is null ? dialog.RemoteUri : dialog.RemoteUri + ";tag=" + dialog.RemoteTag);
        writer.WriteHeader(HeaderId.CallId, dialog.CallId);
        writer.BeginHeader(HeaderId.CSeq);
        writer.WriteNumber(cseq);
        writer.Write((byte)' ');
        writer.Write(SipMethods.GetBytes(method));
        writer.WriteCrlf();
        for (var i = strictFirstHop ? 1 : 0; i < routes.Count; i++)
        {
            writer.WriteHeader(HeaderId.Route, routes[i].ToString());
        }

        if (strictFirstHop)
        {
            writer.WriteHeader(HeaderId.Route, "<" + dialog.RemoteTarget.Raw + ">");
        }

        if (method is not (SipMethod.Ack or SipMethod.Bye or SipMethod.Cancel))
        {
            writer.WriteHeader(HeaderId.Contact, contact);
        }

        extraHeaders?.Invoke(writer);
        writer.WriteBody(body, contentType);
        return writer.ToMessage();
    }

    /// <summary>The URI the request goes to first: the top Route, else the Request-URI (§8.1.2, §12.2.1.1).</summary>
    public static SipUri NextHop(SipMessage request) =>
        request.Routes is [{ } first, ..] ? first.Uri : request.RequestUri!;
}
