using System.Diagnostics.Metrics;

namespace FeatureB2bua.Sip.Limits;

/// <summary>
/// <c>b2bua_limit_rejections_total{limit}</c>: what each limit turned away, with every series at zero from the start.
/// A Meter hands back the same counter for the same name, so each layer that enforces a limit can make one of these
/// on the SIP meter and they all count into one family.
/// </summary>
public sealed class LimitMetrics
{
    private readonly Counter<long> _rejections;

    public LimitMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        Meter = meter;
        _rejections = meter.CreateCounter<long>("b2bua_limit_rejections", "{message}", "Messages, connections and calls turned away by a configured limit, by limit.");
        foreach (var limit in Enum.GetValues<Limit>())
        {
            _rejections.Add(0, Tag(limit));
        }
    }

    public Meter Meter { get; }

    public void Rejected(Limit limit) => _rejections.Add(1, Tag(limit));

    /// <summary>
    /// <c>b2bua_limit{limit}</c>: each configured limit, so a dashboard can set it against the level it bounds. Called
    /// once per process, by whoever knows all the settings.
    /// </summary>
    public void ObserveConfigured(IReadOnlyList<KeyValuePair<Limit, long>> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var measurements = limits.Select(l => new Measurement<long>(l.Value, Tag(l.Key))).ToArray();
        Meter.CreateObservableGauge("b2bua_limit", () => measurements, description: "Configured limits, by limit; 0 where a limit is off.");
    }

    private static KeyValuePair<string, object?> Tag(Limit limit) => new("limit", limit switch
    {
        Limit.MessageSize => "message_size",
        Limit.Headers => "headers",
        Limit.Vias => "vias",
        Limit.Calls => "calls",
        Limit.CallsPerSubscriber => "calls_per_subscriber",
        Limit.Transactions => "transactions",
        _ => "tcp_connections",
    });
}
