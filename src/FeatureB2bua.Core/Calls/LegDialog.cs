using System.Globalization;
using System.Net;
using System.Text;
using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// One leg of a call with what any process needs to send a request in its dialog (RFC 3261 §12.2.1.1): the dialog id,
/// our From and the peer's To (without tags), the remote target and route set, the CSeq our next request takes, and
/// the transport and address the leg's requests go to (its route set's first hop, else where its INVITE came from).
/// </summary>
/// <param name="Name">"A" (we are its UAS) or "B" (we are its UAC).</param>
/// <param name="Peer">An IP end point, e.g. <c>192.0.2.7:5060</c> or <c>[2001:db8::7]:5060</c>.</param>
public sealed record LegDialog(
    string Name,
    string CallId,
    string LocalTag,
    string RemoteTag,
    string LocalUri,
    string RemoteUri,
    string RemoteTarget,
    IReadOnlyList<string> RouteSet,
    uint NextCSeq,
    string Transport,
    string Peer)
{
    public static LegDialog Of(string name, Dialog dialog, SipDestination destination) => new(
        name,
        dialog.CallId,
        dialog.LocalTag,
        dialog.RemoteTag ?? string.Empty,
        dialog.LocalUri,
        dialog.RemoteUri,
        dialog.RemoteTarget.Raw,
        [.. dialog.RouteSet.Select(r => r.ToString())],
        dialog.LocalCSeq + 1,
        destination.Protocol.ToString().ToLowerInvariant(),
        destination.EndPoint.ToString());

    /// <summary>The dialog again, whose <see cref="Dialog.NextLocalCSeq"/> is <see cref="NextCSeq"/>; null if a stored value does not parse.</summary>
    public Dialog? ToDialog()
    {
        if (!SipUri.TryParse(Encoding.UTF8.GetBytes(RemoteTarget), out var target))
        {
            return null;
        }

        var routes = new List<NameAddress>(RouteSet.Count);
        foreach (var route in RouteSet)
        {
            if (!NameAddress.TryParse(Encoding.UTF8.GetBytes(route), out var address))
            {
                return null;
            }

            routes.Add(address!);
        }

        return Dialog.Restore(new DialogId(CallId, LocalTag, RemoteTag), LocalUri, RemoteUri, Name != "A", NextCSeq - 1, target!, routes);
    }

    /// <summary>Where this leg's requests go; null if the transport or address does not parse.</summary>
    public SipDestination? ToDestination() =>
        Enum.TryParse<TransportProtocol>(Transport, ignoreCase: true, out var protocol) && IPEndPoint.TryParse(Peer, out var endPoint)
            ? new SipDestination(protocol, endPoint)
            : null;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {CallId} via {Transport}:{Peer}");
}
