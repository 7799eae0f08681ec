namespace FeatureB2bua.Tests.Interop;

/// <summary>
/// The SIPp test classes run one after another, not beside each other: two cores shared by several SIPp pairs and
/// servers make answers slow enough for retransmissions to land where a scenario does not expect them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SippCollection
{
    public const string Name = "SIPp";
}
