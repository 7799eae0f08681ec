namespace FeatureB2bua.Core.Features;

/// <summary>The <c>Features</c> configuration section: which feature modules sit between the legs, in order.</summary>
public sealed class FeatureOptions
{
    public const string Section = "Features";

    /// <summary>Names of registered features; the first whose decision is not Continue wins.</summary>
    public List<string> Enabled { get; set; } = [];
}
