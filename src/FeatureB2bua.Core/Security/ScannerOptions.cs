namespace FeatureB2bua.Core.Security;

/// <summary>The <c>Security:Scanners</c> section: requests whose User-Agent names a known scanner are dropped.</summary>
public sealed class ScannerOptions
{
    public const string Section = "Security:Scanners";

    /// <summary>
    /// The User-Agents of scanning and cracking tools (sipvicious announces itself as friendly-scanner, its
    /// forks as sipvicious; sipcli, sip-scan, the VaxSIP SDK, pplsip, iWar, sundayddr, SIVuS, smap), matched
    /// case-insensitively as substrings. Tools also used for honest diagnostics (sipsak, SIPp) are left out.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultUserAgents =
    [
        "friendly-scanner", "sipvicious", "sipcli", "sip-scan", "VaxSIPUserAgent", "pplsip", "iWar", "sundayddr", "SIVuS", "smap",
    ];

    public bool Drop { get; set; } = true;

    /// <summary>Empty means <see cref="DefaultUserAgents"/>; starts empty because configuration binding appends to a list.</summary>
    public List<string> UserAgents { get; set; } = [];

    /// <summary>Also ban the source for <c>Security:Flood:BanDuration</c>, so its next packets are dropped before parsing.</summary>
    public bool Ban { get; set; }

    public IReadOnlyList<string> Effective => UserAgents.Count == 0 ? DefaultUserAgents : UserAgents;
}
