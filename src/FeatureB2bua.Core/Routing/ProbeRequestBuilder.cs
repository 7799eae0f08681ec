using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Routing;

/// <summary>
/// The OPTIONS that probes an upstream (RFC 3261 §11.1): out of dialog, so a new Call-ID, From tag and branch
/// each time, CSeq 1, no To tag, Max-Forwards 70 (§8.1.1.6), and Accept for the SDP we would send (§11.1).
/// The Request-URI is the upstream's own URI, as Kamailio's dispatcher pings its destinations.
/// </summary>
public static class ProbeRequestBuilder
{
    public static SipMessage Build(SipUri upstream, TransportProtocol protocol, string sentBy, string domain)
    {
        using var writer = new SipMessageWriter();
        writer.WriteRequestLine("OPTIONS"u8, upstream.Raw);
        writer.WriteHeader(HeaderId.Via, $"{ViaHeader.Ours(protocol, sentBy)};branch={TransactionLayer.NewBranch()};rport");
        writer.WriteHeader(HeaderId.MaxForwards, 70);
        writer.WriteHeader(HeaderId.From, $"<sip:b2bua@{domain}>;tag={TagGenerator.New()}");
        writer.WriteHeader(HeaderId.To, $"<{upstream.Raw}>");
        writer.WriteHeader(HeaderId.CallId, TagGenerator.New() + TagGenerator.New() + "@b2bua");
        writer.WriteHeader(HeaderId.CSeq, "1 OPTIONS");
        writer.WriteHeader(HeaderId.Contact, protocol == TransportProtocol.Udp ? $"<sip:b2bua@{sentBy}>" : $"<sip:b2bua@{sentBy};transport={protocol.ToString().ToLowerInvariant()}>");
        writer.WriteHeader(HeaderId.Accept, "application/sdp");
        writer.WriteBody([]);
        return writer.ToMessage();
    }
}
