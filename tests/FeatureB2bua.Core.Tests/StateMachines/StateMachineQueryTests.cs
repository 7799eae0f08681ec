using FeatureB2bua.Core.StateMachines;

namespace FeatureB2bua.Core.Tests.StateMachines;

/// <summary>State, IsInState, CanFire and PermittedTriggers.</summary>
public sealed class StateMachineQueryTests
{
    [Fact]
    public void IsInState_InSubstate_TrueForItAndEveryParent()
    {
        var hierarchy = new Hierarchy(Place.GrandChild);

        Assert.True(hierarchy.Machine.IsInState(Place.GrandChild));
        Assert.True(hierarchy.Machine.IsInState(Place.Child1));
        Assert.True(hierarchy.Machine.IsInState(Place.Parent));
        Assert.False(hierarchy.Machine.IsInState(Place.Child2));
        Assert.False(hierarchy.Machine.IsInState(Place.Outside));
    }

    [Fact]
    public void IsInState_InParent_FalseForItsSubstates()
    {
        var phone = new PhoneCall().Connect();

        Assert.True(phone.Machine.IsInState(PhoneState.Connected));
        Assert.False(phone.Machine.IsInState(PhoneState.OnHold));
    }

    [Fact]
    public void CanFire_EachKindOfRule_TrueUnlessRefused()
    {
        var phone = new PhoneCall();

        Assert.True(phone.Machine.CanFire(PhoneTrigger.CallDialled));
        Assert.True(phone.Machine.CanFire(PhoneTrigger.HungUp));
        Assert.False(phone.Machine.CanFire(PhoneTrigger.CallConnected));
        Assert.Equal(PhoneState.OffHook, phone.Machine.State);
        Assert.Empty(phone.Unhandled);
    }

    [Fact]
    public void PermittedTriggers_InSubstate_SubstateFirstThenParent()
    {
        var phone = new PhoneCall().Connect();
        phone.Machine.Fire(PhoneTrigger.PlacedOnHold);

        Assert.Equal(
            [
                PhoneTrigger.PlacedOnHold,
                PhoneTrigger.TakenOffHold,
                PhoneTrigger.PhoneHurledAgainstWall,
                PhoneTrigger.MuteMicrophone,
                PhoneTrigger.UnmuteMicrophone,
                PhoneTrigger.SetVolume,
                PhoneTrigger.HungUp,
            ],
            phone.Machine.PermittedTriggers);
    }

    [Fact]
    public void PermittedTriggers_GuardedTrigger_ListedOnceWhenOneGuardPasses()
    {
        var phone = new PhoneCall();
        phone.Machine.Fire(phone.Dial, "bob");

        Assert.Equal(
            [PhoneTrigger.CallDialled, PhoneTrigger.CallConnected, PhoneTrigger.NoAnswer, PhoneTrigger.HungUp],
            phone.Machine.PermittedTriggers);
    }

    [Fact]
    public void PermittedTriggers_GuardsFailOrConflict_Excluded()
    {
        var open = false;
        var machine = new StateMachine<Step, Signal>(Step.B);
        machine.Configure(Step.A).PermitIf(Signal.Y, Step.C, () => open, "open");
        machine.Configure(Step.B)
            .SubstateOf(Step.A)
            .PermitIf(Signal.X, Step.C, () => true, "first")
            .PermitIf(Signal.X, Step.A, () => true, "second")
            .Ignore(Signal.Z);

        Assert.Equal([Signal.Z], machine.PermittedTriggers);
        open = true;
        Assert.Equal([Signal.Z, Signal.Y], machine.PermittedTriggers);
    }
}
