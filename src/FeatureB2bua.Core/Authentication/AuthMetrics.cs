using System.Diagnostics.Metrics;

namespace FeatureB2bua.Core.Authentication;

/// <summary>b2bua_auth_failures_total and b2bua_auth_bans_total.</summary>
public sealed class AuthMetrics
{
    private readonly Counter<long> _failures;
    private readonly Counter<long> _bans;

    public AuthMetrics(IMeterFactory? factory = null)
    {
        var meter = factory?.Create(Registration.RegistrarMetrics.MeterName) ?? new Meter(Registration.RegistrarMetrics.MeterName);
        _failures = meter.CreateCounter<long>("b2bua_auth_failures", description: "Digest authentications that failed (wrong password, unknown user, replay).");
        _bans = meter.CreateCounter<long>("b2bua_auth_bans", description: "Bans started by repeated authentication failures.");

        // From zero at start: a failure spike alert compares against it.
        _failures.Add(0);
        _bans.Add(0);
    }

    public void Failure() => _failures.Add(1);

    public void Ban() => _bans.Add(1);
}
