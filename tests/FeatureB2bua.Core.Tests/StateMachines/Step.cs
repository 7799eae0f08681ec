namespace FeatureB2bua.Core.Tests.StateMachines;

/// <summary>States and triggers of the small machines built inside single tests.</summary>
public enum Step
{
    A,
    B,
    C,
}

public enum Signal
{
    X,
    Y,
    Z,
}
