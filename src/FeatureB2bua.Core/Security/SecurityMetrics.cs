using System.Diagnostics.Metrics;

namespace FeatureB2bua.Core.Security;

/// <summary>
/// b2bua_flood_rejected_total{method,action}, b2bua_flood_bans_total{reason}, b2bua_banned_packets_total,
/// b2bua_scanner_dropped_total, and the gauges b2bua_banned_sources and b2bua_flood_sources.
/// </summary>
public sealed class SecurityMetrics
{
    public const string MeterName = "FeatureB2bua.Security";

    private readonly Counter<long> _rejected;
    private readonly Counter<long> _bans;
    private readonly Counter<long> _bannedPackets;
    private readonly Counter<long> _scanners;

    public SecurityMetrics(IMeterFactory? factory, SourceBanList bans, Func<int> trackedSources, string action)
    {
        var meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _rejected = meter.CreateCounter<long>("b2bua_flood_rejected", description: "Requests over their source's rate limit, by method class (INVITE, REGISTER, other) and action (drop, reject).");
        _bans = meter.CreateCounter<long>("b2bua_flood_bans", description: "Sources banned, by reason (flood, scanner).");
        _bannedPackets = meter.CreateCounter<long>("b2bua_banned_packets", description: "Packets from banned sources, dropped before parsing.");
        _scanners = meter.CreateCounter<long>("b2bua_scanner_dropped", description: "Requests dropped for a scanner's User-Agent.");
        meter.CreateObservableGauge("b2bua_banned_sources", () => bans.Current().Count, description: "Sources banned now.");
        meter.CreateObservableGauge("b2bua_flood_sources", trackedSources, description: "Sources the flood gate tracks now (bounded by Security:Flood:MaxSources).");

        // From zero at start, so a rate() over a restart or a first flood sees the rise.
        foreach (var method in FloodGate.MethodClasses)
        {
            _rejected.Add(0, new("method", method), new("action", action));
        }

        _bans.Add(0, new KeyValuePair<string, object?>("reason", FloodGate.FloodReason));
        _bannedPackets.Add(0);
        _scanners.Add(0);
    }

    public void Rejected(string method, string action) => _rejected.Add(1, new("method", method), new("action", action));

    public void Banned(string reason) => _bans.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void BannedPacket() => _bannedPackets.Add(1);

    public void ScannerDropped() => _scanners.Add(1);
}
