using System.Diagnostics.Metrics;

namespace FeatureB2bua.Core.Registration;

/// <summary>b2bua_register_total{result} and b2bua_registrations_active (DESIGN.md §6), and b2bua_bindings_reaped_total.</summary>
public sealed class RegistrarMetrics
{
    public const string MeterName = "FeatureB2bua.Core";

    private readonly Counter<long> _registers;
    private readonly Counter<long> _reaped;
    private long _active;

    public RegistrarMetrics(IMeterFactory? factory = null)
    {
        var meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _registers = meter.CreateCounter<long>("b2bua_register", description: "REGISTER requests answered, by result.");
        _reaped = meter.CreateCounter<long>(
            "b2bua_bindings_reaped", description: "Expired bindings this node deleted from the store; nodes sharing a store reap each binding once between them.");
        _reaped.Add(0);
        meter.CreateObservableGauge("b2bua_registrations_active", () => Interlocked.Read(ref _active), description: "Live bindings in the location service.");

        // Every result from zero at start, so that a rate by result exists before the first REGISTER of each kind.
        foreach (var outcome in Enum.GetValues<RegistrationOutcome>())
        {
            _registers.Add(0, Result(outcome));
        }
    }

    public void Register(RegistrationOutcome outcome) => _registers.Add(1, Result(outcome));

    private static KeyValuePair<string, object?> Result(RegistrationOutcome outcome) => new("result", outcome switch
    {
        RegistrationOutcome.Registered => "registered",
        RegistrationOutcome.Unregistered => "unregistered",
        RegistrationOutcome.Queried => "queried",
        _ => "rejected",
    });

    public void Reaped(int count) => _reaped.Add(count);

    public void SetActiveBindings(long count) => Interlocked.Exchange(ref _active, count);
}
