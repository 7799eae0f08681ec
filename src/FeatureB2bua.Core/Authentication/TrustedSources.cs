using System.Net;

namespace FeatureB2bua.Core.Authentication;

/// <summary>
/// The <c>Routing:Trusted</c> CIDRs: the PBX and trunks, whose requests are never challenged. Any other CIDR list of the
/// settings (such as <c>Security:Flood:Exempt</c>) is read the same way, named by the setting it comes from.
/// </summary>
public sealed class TrustedSources
{
    private readonly IPNetwork[] _networks;

    public TrustedSources(IEnumerable<string> cidrs, string setting = "Routing:Trusted")
    {
        var networks = new List<IPNetwork>();
        foreach (var cidr in cidrs)
        {
            if (!IPNetwork.TryParse(cidr, out var network))
            {
                throw new FormatException($"{setting} entry '{cidr}' is not a CIDR such as 192.0.2.10/32.");
            }

            networks.Add(network);
        }

        _networks = [.. networks];
    }

    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
