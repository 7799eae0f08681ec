using System.ComponentModel.DataAnnotations;

namespace FeatureB2bua.Core.Features;

/// <summary>The <c>Features</c> configuration section: which feature modules sit between the legs, in order, and the limits they share.</summary>
public sealed class FeatureOptions
{
    public const string Section = "Features";

    /// <summary>Names of the feature modules (their folders under features/); the first whose decision is not Continue wins.</summary>
    public List<string> Enabled { get; set; } = [];

    /// <summary>Names taken out of <see cref="Enabled"/>: a list in configuration can be added to but not shortened, so this is how one module is turned off.</summary>
    public List<string> Disabled { get; set; } = [];

    /// <summary>
    /// How many times one call may be forwarded, counting the Diversion counters (RFC 5806) it arrived with: a forwarding
    /// chain longer than this ends in 480, and a chain that comes back to a target it already went to ends in 482.
    /// </summary>
    [Range(1, 20)]
    public int MaxForwardHops { get; set; } = 5;

    /// <summary>CIDRs of callers that follow redirects themselves (a PBX, say): they get 302 for unconditional forwarding instead of a forwarded call.</summary>
    public List<string> RedirectSources { get; set; } = [];
}
