namespace FeatureB2bua.Core.Routing;

/// <summary>The <c>Routing</c> configuration section (DESIGN.md §6).</summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>CIDRs of the PBX and trunks: never challenged.</summary>
    public List<string> Trusted { get; set; } = [];

    /// <summary>Tried in order for targets outside our registered users.</summary>
    public List<RouteOptions> Routes { get; set; } = [];
}

/// <summary>One static route: a regular expression on the Request-URI user part and its upstreams in failover order.</summary>
public sealed class RouteOptions
{
    public string Pattern { get; set; } = string.Empty;

    /// <summary>SIP URIs such as <c>sip:127.0.0.1:5070</c>; the dialled user is put in front of each host.</summary>
    public List<string> Targets { get; set; } = [];
}
