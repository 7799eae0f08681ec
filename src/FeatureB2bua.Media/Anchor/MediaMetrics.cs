using System.Diagnostics.Metrics;

namespace FeatureB2bua.Media.Anchor;

/// <summary>
/// The anchor's metrics (DESIGN.md §6): sessions, ports, packets and bytes relayed, drops by reason, latching,
/// timeouts and one-way audio. Packet counts are read from the relay's own counters when scraped, so the packet path
/// pays for no instrument.
/// </summary>
public sealed class MediaMetrics
{
    public const string MeterName = "FeatureB2bua.Media";

    private readonly Counter<long> _exhausted;
    private readonly Counter<long> _timeouts;
    private readonly Counter<long> _oneWay;

    public MediaMetrics(IMeterFactory? factory = null)
    {
        Meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _exhausted = Meter.CreateCounter<long>("b2bua_media_ports_exhausted", description: "Calls refused with 503 because no RTP/RTCP port pair was free.");
        _timeouts = Meter.CreateCounter<long>("b2bua_media_timeouts", description: "Answered calls hung up because their media was silent past Media:InactivityTimeoutSeconds.");
        _oneWay = Meter.CreateCounter<long>("b2bua_media_one_way", description: "Episodes of one-way audio: one direction silent while the other flows.");

        // From zero at start: an alert on their increase then sees the first event after a restart too.
        _exhausted.Add(0);
        _timeouts.Add(0);
        _oneWay.Add(0);
    }

    public Meter Meter { get; }

    internal void Observe(MediaAnchor anchor)
    {
        Meter.CreateObservableGauge("b2bua_media_sessions_active", () => (long)anchor.ActiveSessions, description: "Calls with anchored media.");
        Meter.CreateObservableGauge("b2bua_media_ports_free", () => (long)anchor.FreePorts, description: "Media ports of Media:PortMin..PortMax not taken by a call.");
        Meter.CreateObservableGauge("b2bua_media_ports_total", () => (long)anchor.TotalPorts, description: "Media ports of Media:PortMin..PortMax the pool hands out, taken or free.");
        Meter.CreateObservableCounter("b2bua_rtp_packets_relayed", () => anchor.Relayed().Packets, description: "RTP and RTCP packets relayed from one party to the other.");
        Meter.CreateObservableCounter("b2bua_rtp_bytes_relayed", () => anchor.Relayed().Bytes, unit: "By", description: "UDP payload bytes relayed from one party to the other.");
        Meter.CreateObservableCounter("b2bua_media_latches", () => anchor.Counters.LatchCount, description: "Times a media port took the source of a party's packets as its address.");
        Meter.CreateObservableCounter("b2bua_rtp_dropped", () => new Measurement<long>[]
        {
            new(anchor.Counters.MalformedCount, new KeyValuePair<string, object?>("reason", "not_rtp")),
            new(anchor.Counters.ForeignSourceCount, new KeyValuePair<string, object?>("reason", "foreign_source")),
            new(anchor.Counters.NoDestinationCount, new KeyValuePair<string, object?>("reason", "no_destination")),
            new(anchor.Counters.SendFailedCount, new KeyValuePair<string, object?>("reason", "send_failed")),
        }, description: "Packets on media ports that were not relayed, by reason.");
    }

    internal void PortsExhausted() => _exhausted.Add(1);

    internal void TimedOut() => _timeouts.Add(1);

    internal void OneWay() => _oneWay.Add(1);
}
