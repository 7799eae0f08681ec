namespace FeatureB2bua.Core.Routing;

/// <summary>What the OPTIONS probes say of an upstream.</summary>
public enum UpstreamProbeState
{
    /// <summary>Not probed yet, or probing is off: counts as usable, so a cold start routes as configured.</summary>
    Unknown,
    Up,
    Down,
}
