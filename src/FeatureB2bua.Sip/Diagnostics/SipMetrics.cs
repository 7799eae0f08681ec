using System.Diagnostics.Metrics;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Diagnostics;

/// <summary>The SIP layer's instruments, on one meter; names are the Prometheus ones of DESIGN.md §6 (the exporter adds _total).</summary>
public sealed class SipMetrics : IDisposable
{
    public const string MeterName = "FeatureB2bua.Sip";

    private static readonly string[] ClassNames = ["1xx", "2xx", "3xx", "4xx", "5xx", "6xx"];
    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _responses;
    private readonly Counter<long> _retransmissions;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _rejected;

    public SipMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("b2bua_sip_requests", description: "SIP requests received, by method.");
        _responses = _meter.CreateCounter<long>("b2bua_sip_responses", description: "SIP responses sent and received, by status class.");
        _retransmissions = _meter.CreateCounter<long>("b2bua_sip_retransmissions", description: "Requests and responses sent again by a transaction.");
        _dropped = _meter.CreateCounter<long>("b2bua_sip_messages_dropped", description: "Received messages dropped unanswered, by reason.");
        _rejected = _meter.CreateCounter<long>("b2bua_sip_requests_rejected", description: "Malformed requests answered statelessly with 400 or 505.");

        // Series that exist from the start, so that a rate or an alert on them has a zero to start from.
        _retransmissions.Add(0);
        _rejected.Add(0);
    }

    public Meter Meter => _meter;

    public void Request(SipMethod method) =>
        _requests.Add(1, new KeyValuePair<string, object?>("method", method == SipMethod.Unknown ? "OTHER" : SipMethods.GetName(method)));

    public void Response(int statusCode, string direction) => _responses.Add(
        1,
        new KeyValuePair<string, object?>("code_class", ClassNames[Math.Clamp((statusCode / 100) - 1, 0, 5)]),
        new KeyValuePair<string, object?>("direction", direction));

    public void Retransmission() => _retransmissions.Add(1);

    public void Dropped(string reason) => _dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Rejected() => _rejected.Add(1);

    public void Dispose() => _meter.Dispose();
}
