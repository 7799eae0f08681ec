namespace FeatureB2bua.Core.Registration;

/// <summary>The result label of <c>b2bua_register_total{result}</c>.</summary>
public enum RegistrationOutcome : byte
{
    Registered,
    Unregistered,
    Queried,
    Rejected,
}
