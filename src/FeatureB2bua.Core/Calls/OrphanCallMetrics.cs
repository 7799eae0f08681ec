using System.Diagnostics.Metrics;

namespace FeatureB2bua.Core.Calls;

/// <summary>Calls of a dead process (or of this node's previous run) closed and hung up here, and how their BYEs fared.</summary>
public sealed class OrphanCallMetrics
{
    public const string MeterName = "FeatureB2bua.Cluster";

    private readonly Counter<long> _calls;
    private readonly Counter<long> _byes;

    public OrphanCallMetrics(IMeterFactory? factory = null)
    {
        Meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _calls = Meter.CreateCounter<long>(
            "b2bua_orphan_calls_hungup",
            description: "Calls left open by a process that died, closed with an interrupted CDR and hung up, by how they were found: restart (this node's previous run), takeover (a silent node), command (calls close-node).");
        _byes = Meter.CreateCounter<long>(
            "b2bua_orphan_byes",
            description: "BYEs sent to the legs of such calls, by outcome: ended (2xx), gone (481 or 408, or no answer: the peer had already dropped the dialog), refused (another final status), unreachable (transport error or no listen point for its transport), invalid (the stored leg did not parse).");
    }

    public Meter Meter { get; }

    public void CallHungUp(string how) => _calls.Add(1, new KeyValuePair<string, object?>("how", how));

    public void Bye(string outcome) => _byes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
