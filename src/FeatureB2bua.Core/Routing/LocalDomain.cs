using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Core.Routing;

/// <summary>
/// Which Request-URI hosts mean us: our domain, its configured aliases (RFC 3665 registers to
/// ss2.biloxi.example.com for biloxi.example.com), and the address the request arrived on, for phones
/// configured with the server's IP. The registrar and the call router ask the same question here.
/// </summary>
public sealed class LocalDomain(string name, IReadOnlyList<string> aliases)
{
    public string Name => name;

    public bool IsUs(string host, SipMessage request) =>
        string.Equals(host, name, StringComparison.OrdinalIgnoreCase)
        || aliases.Contains(host, StringComparer.OrdinalIgnoreCase)
        || (request.Source is { } source && string.Equals(host.Trim('[', ']'), source.Local.Address.ToString(), StringComparison.OrdinalIgnoreCase));
}
