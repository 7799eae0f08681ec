using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Dialogs;

/// <summary>
/// The state one side keeps for a dialog (RFC 3261 §12): identity, the local and remote URIs as written in
/// From/To, sequence numbers, the remote target and the route set. A B2BUA holds one per leg; nothing of one
/// leg's dialog is ever copied into the other's messages.
/// </summary>
public sealed class Dialog
{
    private Dialog(string callId, string localTag, string localUri, string remoteUri, bool isUac)
    {
        CallId = callId;
        LocalTag = localTag;
        LocalUri = localUri;
        RemoteUri = remoteUri;
        IsUac = isUac;
    }

    public string CallId { get; }

    public string LocalTag { get; }

    public string? RemoteTag { get; private set; }

    /// <summary>Our From (UAC) or To (UAS) value without its tag, as written on the wire.</summary>
    public string LocalUri { get; }

    public string RemoteUri { get; }

    public bool IsUac { get; }

    /// <summary>Early until a 2xx creates or confirms it (§12.1).</summary>
    public bool IsConfirmed { get; private set; }

    public uint LocalCSeq { get; private set; }

    public uint? RemoteCSeq { get; private set; }

    public SipUri RemoteTarget { get; private set; } = null!;

    public IReadOnlyList<NameAddress> RouteSet { get; private set; } = [];

    public DialogId Id => new(CallId, LocalTag, RemoteTag ?? string.Empty);

    /// <summary>§12.1.1: the UAS side, from the INVITE and the tag we put in To.</summary>
    public static Dialog ForUas(SipMessage request, string localTag)
    {
        var dialog = new Dialog(request.CallId!, localTag, WithoutTag(request.GetHeader(HeaderId.To)!), WithoutTag(request.GetHeader(HeaderId.From)!), isUac: false)
        {
            RemoteTag = request.From!.Tag,
            RemoteCSeq = request.CSeq!.Number,
            RemoteTarget = request.Contacts is [{ Address: { } contact }, ..] ? contact.Uri : request.From!.Uri,
            RouteSet = request.RecordRoutes ?? [],
        };
        return dialog;
    }

    /// <summary>§12.1.2: the UAC side, from our INVITE and the response (1xx with a tag, or 2xx) that set it up.</summary>
    public static Dialog ForUac(SipMessage request, SipMessage response)
    {
        var routes = response.RecordRoutes ?? [];
        var reversed = new List<NameAddress>(routes);
        reversed.Reverse();
        var dialog = new Dialog(request.CallId!, request.From!.Tag!, WithoutTag(request.GetHeader(HeaderId.From)!), WithoutTag(request.GetHeader(HeaderId.To)!), isUac: true)
        {
            RemoteTag = response.To!.Tag,
            LocalCSeq = request.CSeq!.Number,
            RemoteTarget = response.Contacts is [{ Address: { } contact }, ..] ? contact.Uri : request.RequestUri!,
            RouteSet = reversed,
        };
        dialog.Update(response);
        return dialog;
    }

    /// <summary>
    /// A confirmed dialog as another process kept it (its journal of open calls), so that it can still send a request
    /// in it (§12.2.1.1), the BYE that ends it after the process that held it died.
    /// </summary>
    public static Dialog Restore(DialogId id, string localUri, string remoteUri, bool isUac, uint localCSeq, SipUri remoteTarget, IReadOnlyList<NameAddress> routeSet) =>
        new(id.CallId, id.LocalTag, localUri, remoteUri, isUac)
        {
            RemoteTag = id.RemoteTag,
            IsConfirmed = true,
            LocalCSeq = localCSeq,
            RemoteTarget = remoteTarget,
            RouteSet = routeSet,
        };

    /// <summary>A 2xx confirms the dialog; its Contact refreshes the remote target (§12.2.1.2, §13.2.2.4).</summary>
    public void Update(SipMessage response)
    {
        if (response.StatusCode is >= 200 and < 300)
        {
            IsConfirmed = true;
        }

        if (response.Contacts is [{ Address: { } contact }, ..])
        {
            RemoteTarget = contact.Uri;
        }
    }

    /// <summary>
    /// §12.2.2: a request from the peer must not go back in sequence; returns false for one whose CSeq is lower
    /// than the last (the caller answers 500). A target-refresh request's Contact becomes the remote target.
    /// </summary>
    public bool AcceptRemoteRequest(SipMessage request)
    {
        var cseq = request.CSeq!.Number;
        if (request.Method != SipMethod.Ack && RemoteCSeq is { } last && cseq < last)
        {
            return false;
        }

        if (request.Method != SipMethod.Ack)
        {
            RemoteCSeq = cseq;
        }

        if (request.Method is SipMethod.Invite or SipMethod.Update && request.Contacts is [{ Address: { } contact }, ..])
        {
            RemoteTarget = contact.Uri;
        }

        return true;
    }

    /// <summary>The next CSeq for a new request of ours in this dialog (§12.2.1.1); ACK and CANCEL reuse the INVITE's.</summary>
    public uint NextLocalCSeq() => ++LocalCSeq;

    private static string WithoutTag(string nameAddress)
    {
        var parsed = NameAddress.TryParse(System.Text.Encoding.UTF8.GetBytes(nameAddress), out var address) ? address : null;
        if (parsed is null || parsed.Tag is null)
        {
            return nameAddress;
        }

        var kept = parsed.Parameters.Where(p => !string.Equals(p.Name, "tag", StringComparison.OrdinalIgnoreCase)).ToList();
        return new NameAddress(parsed.Uri, parsed.DisplayName, kept).ToString();
    }
}
