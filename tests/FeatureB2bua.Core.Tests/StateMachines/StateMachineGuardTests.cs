using FeatureB2bua.Core.StateMachines;

namespace FeatureB2bua.Core.Tests.StateMachines;

/// <summary>Guarded permits: exactly one guard may pass; none is a refusal, two are a reported configuration error.</summary>
public sealed class StateMachineGuardTests
{
    [Theory]
    [InlineData(true, PhoneState.Voicemail)]
    [InlineData(false, PhoneState.OffHook)]
    public void Fire_OneOfTwoGuardsPasses_TakesThatBranch(bool voicemailEnabled, PhoneState expected)
    {
        var phone = new PhoneCall { VoicemailEnabled = voicemailEnabled };
        phone.Machine.Fire(phone.Dial, "bob");

        var result = phone.Machine.Fire(PhoneTrigger.NoAnswer);

        Assert.Equal(FireResult.Transitioned, result);
        Assert.Equal(expected, phone.Machine.State);
    }

    [Fact]
    public void Fire_GuardChangesBetweenFires_EvaluatedAtFireTime()
    {
        var open = false;
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.Configure(Step.A).PermitIf(Signal.X, Step.B, () => open, "open");

        Assert.Equal(FireResult.Refused, machine.Fire(Signal.X));
        open = true;
        Assert.Equal(FireResult.Transitioned, machine.Fire(Signal.X));
        Assert.Equal(Step.B, machine.State);
    }

    [Fact]
    public void Fire_NoGuardPasses_RefusedAndHookCalled()
    {
        var unhandled = new List<(Step, Signal)>();
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.OnUnhandledTrigger((state, trigger) => unhandled.Add((state, trigger)));
        machine.Configure(Step.A)
            .PermitIf(Signal.X, Step.B, () => false, "never b")
            .PermitIf(Signal.X, Step.C, () => false, "never c");

        var result = machine.Fire(Signal.X);

        Assert.Equal(FireResult.Refused, result);
        Assert.Equal(Step.A, machine.State);
        Assert.Equal([(Step.A, Signal.X)], unhandled);
    }

    [Fact]
    public void Fire_TwoGuardsPass_AmbiguousReportedNotThrown()
    {
        var errors = new List<string>();
        var unhandled = new List<(Step, Signal)>();
        var entered = false;
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.OnConfigurationError((state, trigger, message) => errors.Add($"{state} {trigger}: {message}"));
        machine.OnUnhandledTrigger((state, trigger) => unhandled.Add((state, trigger)));
        machine.Configure(Step.A)
            .PermitIf(Signal.X, Step.B, () => true, "first")
            .PermitIf(Signal.X, Step.C, () => true, "second");
        machine.Configure(Step.B).OnEntry(() => entered = true);

        var result = machine.Fire(Signal.X);

        Assert.Equal(FireResult.Ambiguous, result);
        Assert.Equal(Step.A, machine.State);
        Assert.False(entered);
        Assert.Equal(["A X: Guards [first] and [second] of state A both pass for trigger X; exactly one may."], errors);
        Assert.Equal([(Step.A, Signal.X)], unhandled);
        Assert.False(machine.CanFire(Signal.X));
    }

    [Fact]
    public void Fire_SubstateGuardsFail_ParentHandlesTrigger()
    {
        var machine = new StateMachine<Step, Signal>(Step.B);
        machine.Configure(Step.A).Permit(Signal.X, Step.C);
        machine.Configure(Step.B).SubstateOf(Step.A).PermitIf(Signal.X, Step.A, () => false, "closed");

        var result = machine.Fire(Signal.X);

        Assert.Equal(FireResult.Transitioned, result);
        Assert.Equal(Step.C, machine.State);
    }

    [Fact]
    public void Fire_SubstateGuardPasses_OverridesParent()
    {
        var machine = new StateMachine<Step, Signal>(Step.B);
        machine.Configure(Step.A).Permit(Signal.X, Step.C);
        machine.Configure(Step.B).SubstateOf(Step.A).PermitIf(Signal.X, Step.A, () => true, "open");

        machine.Fire(Signal.X);

        Assert.Equal(Step.A, machine.State);
    }

    [Fact]
    public void Fire_GuardThrows_PropagatesAndStateUnchanged()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.Configure(Step.A)
            .PermitIf(Signal.X, Step.B, () => throw new InvalidOperationException("guard bug"), "buggy")
            .Permit(Signal.Y, Step.C);

        var thrown = Assert.Throws<InvalidOperationException>(() => machine.Fire(Signal.X));

        Assert.Equal("guard bug", thrown.Message);
        Assert.Equal(Step.A, machine.State);
        Assert.Equal(FireResult.Transitioned, machine.Fire(Signal.Y));
    }
}
