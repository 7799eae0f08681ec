using FeatureB2bua.Core.StateMachines;

namespace FeatureB2bua.Core.Tests.StateMachines;

/// <summary>Configurations that could never run correctly are refused while configuring, not while a call runs.</summary>
public sealed class StateMachineConfigurationTests
{
    private readonly StateMachine<Step, Signal> _machine = new(Step.A);

    [Fact]
    public void Permit_ToOwnState_Throws()
    {
        Assert.Throws<ArgumentException>(() => _machine.Configure(Step.A).Permit(Signal.X, Step.A));
        Assert.Throws<ArgumentException>(() => _machine.Configure(Step.A).PermitIf(Signal.X, Step.A, () => true, "self"));
    }

    [Fact]
    public void Permit_TriggerAlreadyConfigured_Throws()
    {
        var a = _machine.Configure(Step.A).Permit(Signal.X, Step.B);

        Assert.Throws<InvalidOperationException>(() => a.Permit(Signal.X, Step.C));
        Assert.Throws<InvalidOperationException>(() => a.Ignore(Signal.X));
        Assert.Throws<InvalidOperationException>(() => a.PermitReentry(Signal.X));
        Assert.Throws<InvalidOperationException>(() => a.InternalTransition(Signal.X, () => { }));
        Assert.Throws<InvalidOperationException>(() => a.PermitIf(Signal.X, Step.C, () => true, "late"));
    }

    [Fact]
    public void PermitIf_ThenUnguardedRule_Throws()
    {
        var a = _machine.Configure(Step.A).PermitIf(Signal.X, Step.B, () => true, "b");

        Assert.Throws<InvalidOperationException>(() => a.Permit(Signal.X, Step.C));
        a.PermitIf(Signal.X, Step.C, () => false, "c");
    }

    [Fact]
    public void PermitIf_BlankGuardDescription_Throws()
    {
        Assert.Throws<ArgumentException>(() => _machine.Configure(Step.A).PermitIf(Signal.X, Step.B, () => true, " "));
    }

    [Fact]
    public void SubstateOf_Cycle_Throws()
    {
        _machine.Configure(Step.B).SubstateOf(Step.A);
        _machine.Configure(Step.C).SubstateOf(Step.B);

        Assert.Throws<ArgumentException>(() => _machine.Configure(Step.A).SubstateOf(Step.C));
        Assert.Throws<ArgumentException>(() => _machine.Configure(Step.A).SubstateOf(Step.A));
    }

    [Fact]
    public void SubstateOf_SecondParent_ThrowsButSameParentAgainIsAccepted()
    {
        _machine.Configure(Step.B).SubstateOf(Step.A);

        _machine.Configure(Step.B).SubstateOf(Step.A);
        Assert.Throws<InvalidOperationException>(() => _machine.Configure(Step.B).SubstateOf(Step.C));
    }

    [Fact]
    public void Configure_SameStateTwice_AddsToTheSameState()
    {
        _machine.Configure(Step.A).Permit(Signal.X, Step.B);
        _machine.Configure(Step.A).Permit(Signal.Y, Step.C);

        Assert.Equal([Signal.X, Signal.Y], _machine.PermittedTriggers);
        Assert.Equal(Step.A, _machine.Configure(Step.A).State);
    }
}
