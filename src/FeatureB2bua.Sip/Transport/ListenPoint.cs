using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FeatureB2bua.Sip.Transport;

/// <summary>
/// A local address a transport listens on, written <c>udp:127.0.0.1:5060</c>, <c>tcp:0.0.0.0:5060</c>
/// or <c>tls:[::1]:5061</c>. The address must be a literal IP: a listener binds, it never resolves names.
/// </summary>
public sealed record ListenPoint(TransportProtocol Protocol, IPEndPoint EndPoint)
{
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ListenPoint? point)
    {
        point = null;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !TryParseProtocol(text.AsSpan(0, colon), out var protocol))
        {
            return false;
        }

        if (!TryParseEndPoint(text.AsSpan(colon + 1), out var endPoint))
        {
            return false;
        }

        point = new ListenPoint(protocol, endPoint);
        return true;
    }

    public static ListenPoint Parse(string text) =>
        TryParse(text, out var point)
            ? point
            : throw new FormatException($"'{text}' is not a listen point such as udp:0.0.0.0:5060 or tcp:[::1]:5060.");

    public override string ToString() => $"{Scheme(Protocol)}:{EndPoint}";

    internal static string Scheme(TransportProtocol protocol) => protocol switch
    {
        TransportProtocol.Udp => "udp",
        TransportProtocol.Tcp => "tcp",
        TransportProtocol.Tls => "tls",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    private static bool TryParseProtocol(ReadOnlySpan<char> scheme, out TransportProtocol protocol)
    {
        foreach (var candidate in (ReadOnlySpan<TransportProtocol>)[TransportProtocol.Udp, TransportProtocol.Tcp, TransportProtocol.Tls])
        {
            if (scheme.Equals(Scheme(candidate), StringComparison.OrdinalIgnoreCase))
            {
                protocol = candidate;
                return true;
            }
        }

        protocol = default;
        return false;
    }

    // IPEndPoint.TryParse accepts a missing port and bare IPv6 ("::1:5060" becomes address ::1:5060, port 0),
    // so the split is done here: IPv6 must be bracketed and the port is always required.
    private static bool TryParseEndPoint(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port;
        var family = AddressFamily.InterNetwork;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
            family = AddressFamily.InterNetworkV6;
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                return false;
            }

            host = text[..colon];
            port = text[(colon + 1)..];
        }

        if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != family
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber)
            || portNumber > IPEndPoint.MaxPort)
        {
            return false;
        }

        endPoint = new IPEndPoint(address, portNumber);
        return true;
    }
}
