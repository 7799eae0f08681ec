using System.Net;
using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Stack;

namespace FeatureB2bua.Core.Security;

/// <summary>
/// The request gate of the edge: scanner User-Agents are dropped, every other request takes a token from its
/// source's bucket for its method class, and a source that keeps hitting its limit is banned like Kamailio's
/// pike does. Trusted (<c>Routing:Trusted</c>) and <c>Security:Flood:Exempt</c> sources pass untouched.
/// INVITE, REGISTER and everything else have separate buckets: a caller at its INVITE limit (or a flood of
/// INVITEs from behind the same NAT) still gets its ACKs, BYEs and CANCELs through on the "other" bucket, so
/// calls already under way are not starved; ACK and CANCEL do take tokens, so they cannot be flooded for free.
/// </summary>
public sealed class FloodGate : IRequestGate
{
    public const string FloodReason = "flood";
    public const string ScannerReason = "scanner";

    public static readonly IReadOnlyList<string> MethodClasses = ["INVITE", "REGISTER", "other"];

    private readonly FloodOptions _flood;
    private readonly ScannerOptions _scanners;
    private readonly ScannerFilter _scannerFilter;
    private readonly SourceBanList _bans;
    private readonly SourceTable _sources;
    private readonly TimeProvider _time;
    private readonly GateVerdict _overLimit;
    private readonly string _action;

    public FloodGate(FloodOptions flood, ScannerOptions scanners, TrustedSources trusted, SourceBanList bans, TimeProvider time, System.Diagnostics.Metrics.IMeterFactory? meters = null)
    {
        _flood = flood;
        _scanners = scanners;
        _scannerFilter = new ScannerFilter(scanners.Effective);
        _bans = bans;
        _time = time;
        var exempt = new TrustedSources(flood.Exempt, "Security:Flood:Exempt");
        _sources = new SourceTable(flood, a => trusted.Contains(a) || exempt.Contains(a));
        _overLimit = flood.RejectsWith503 ? new GateVerdict(GateAction.Busy, flood.RetryAfterSeconds) : GateVerdict.Drop;
        _action = flood.RejectsWith503 ? "reject" : "drop";
        Metrics = new SecurityMetrics(meters, bans, () => TrackedSources, _action);
    }

    public SecurityMetrics Metrics { get; }

    /// <summary>Sources with limiter state now (the <c>b2bua_flood_sources</c> gauge).</summary>
    public int TrackedSources => _sources.Count;

    public bool Admits(IPAddress source)
    {
        if (!_bans.IsBanned(Normalise(source)))
        {
            return true;
        }

        Metrics.BannedPacket();
        return false;
    }

    public GateVerdict Judge(SipMessage request, IPAddress source)
    {
        source = Normalise(source);
        var now = _time.GetTimestamp();
        var state = _sources.Get(source, now, _time.TimestampFrequency);
        if (state.Exempt)
        {
            return GateVerdict.Pass;
        }

        if (_scanners.Drop && _scannerFilter.IsScanner(request))
        {
            Metrics.ScannerDropped();
            if (_scanners.Ban)
            {
                Ban(source, ScannerReason);
            }

            return GateVerdict.Drop;
        }

        if (!_flood.Enabled)
        {
            return GateVerdict.Pass;
        }

        var method = request.Method;
        bool admitted, ban;
        lock (state)
        {
            state.LastSeen = now;
            admitted = method switch
            {
                SipMethod.Invite => state.Invite.TryTake(_flood.Invite, now, _time.TimestampFrequency),
                SipMethod.Register => state.Register.TryTake(_flood.Register, now, _time.TimestampFrequency),
                _ => state.Other.TryTake(_flood.Other, now, _time.TimestampFrequency),
            };
            ban = !admitted && CountRejection(state, now);
        }

        if (admitted)
        {
            return GateVerdict.Pass;
        }

        Metrics.Rejected(method switch { SipMethod.Invite => MethodClasses[0], SipMethod.Register => MethodClasses[1], _ => MethodClasses[2] }, _action);
        if (ban)
        {
            Ban(source, FloodReason);
        }

        return _overLimit;
    }

    /// <summary>Pike's rule: so many rejections within the window start a ban. True when this one did.</summary>
    private bool CountRejection(SourceState state, long now)
    {
        if (_flood.BanAfterRejections <= 0)
        {
            return false;
        }

        if (_time.GetElapsedTime(state.WindowStart, now) > _flood.BanWindow)
        {
            state.WindowStart = now;
            state.Rejections = 0;
        }

        if (++state.Rejections < _flood.BanAfterRejections)
        {
            return false;
        }

        state.Rejections = 0;
        return true;
    }

    private void Ban(IPAddress source, string reason)
    {
        if (_bans.Ban(source, _flood.BanDuration, reason))
        {
            Metrics.Banned(reason);
        }
    }

    /// <summary>A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; bans and limits are kept by the IPv4 address.</summary>
    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
