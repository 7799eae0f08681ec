namespace FeatureB2bua.Tests.Interop;

/// <summary>
/// The SIPp test classes run one after another, not beside each other, and after the other test classes, not beside
/// them: two cores shared by several SIPp pairs and servers make answers slow enough for retransmissions to land where
/// a scenario does not expect them (a CI run's 1000-call test saw its server pass T1 while in-process tests ran).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SippCollection
{
    public const string Name = "SIPp";
}
