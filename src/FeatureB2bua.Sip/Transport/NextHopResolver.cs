using System.Net;
using System.Net.Sockets;
using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Sip.Transport;

/// <summary>
/// Where a request to a URI goes (RFC 3263 §4, without NAPTR/SRV): the transport from the <c>transport</c>
/// parameter (TCP by default for sips), the address from the host (an IP literal, else an A/AAAA lookup),
/// the port from the URI or the transport's default.
/// </summary>
public static class NextHopResolver
{
    public static async ValueTask<SipDestination?> ResolveAsync(SipUri uri, CancellationToken cancellationToken = default)
    {
        if (!uri.IsSip)
        {
            return null;
        }

        var protocol = uri.Transport?.ToUpperInvariant() switch
        {
            "TCP" => TransportProtocol.Tcp,
            "TLS" => TransportProtocol.Tls,
            "UDP" => TransportProtocol.Udp,
            _ => uri.IsSecure ? TransportProtocol.Tls : TransportProtocol.Udp,
        };
        var port = uri.Port ?? (protocol == TransportProtocol.Tls ? 5061 : 5060);
        var host = (uri.MAddr ?? uri.Host).Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal))
        {
            return new SipDestination(protocol, new IPEndPoint(literal, port));
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return address is null ? null : new SipDestination(protocol, new IPEndPoint(address, port));
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
