using System.Net;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>Where a response to a received request goes: RFC 3261 §18.2.2 with RFC 3581 §4.</summary>
public static class ResponseRouting
{
    public static SipDestination DestinationFor(SipMessage request)
    {
        var source = request.Source ?? throw new ArgumentException("Only received requests have a response destination.", nameof(request));
        var via = request.TopVia;
        if (source.IsReliable)
        {
            // Back on the connection the request came on while it is open; otherwise a new one to the source.
            return new SipDestination(source.Protocol, source.Remote, source.Connection);
        }

        if (via is null || via.HasRPort)
        {
            // RFC 3581 §4: to the source address and port the request came from, which is what gets through NAT.
            return new SipDestination(source.Protocol, source.Remote);
        }

        // §18.2.2: the received address (the source, §18.2.1), at the sent-by port or 5060.
        return new SipDestination(source.Protocol, new IPEndPoint(source.Remote.Address, via.Port ?? 5060));
    }
}
