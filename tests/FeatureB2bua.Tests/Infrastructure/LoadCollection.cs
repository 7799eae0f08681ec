namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>
/// Test classes that put load on the machine (SIPp, scanners, hundreds of test phones) run one after another and after
/// the other test classes, never beside them: two cores shared with a load make answers slow enough for
/// retransmissions to land where a scenario does not expect them (a CI run's 1000-call test saw its server pass T1
/// while in-process tests ran) and for an in-process test to miss its BYE (a CI run with the kill -9 load beside it).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "load, alone on the machine";
}
