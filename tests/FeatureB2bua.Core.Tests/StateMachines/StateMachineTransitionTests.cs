using FeatureB2bua.Core.StateMachines;

namespace FeatureB2bua.Core.Tests.StateMachines;

/// <summary>Each kind of rule, and the order in which exit and entry actions run.</summary>
public sealed class StateMachineTransitionTests
{
    [Fact]
    public void Constructor_InitialState_DoesNotRunEntryActions()
    {
        var phone = new PhoneCall();

        Assert.Equal(PhoneState.OffHook, phone.Machine.State);
        Assert.Empty(phone.Log);
    }

    [Fact]
    public void Fire_Permit_ExitsSourceThenEntersDestination()
    {
        var phone = new PhoneCall();

        var result = phone.Machine.Fire(phone.Dial, "bob");

        Assert.Equal(FireResult.Transitioned, result);
        Assert.Equal(PhoneState.Ringing, phone.Machine.State);
        Assert.Equal(["exit OffHook", "enter Ringing", "ringing bob"], phone.Log);
    }

    [Fact]
    public void Fire_PermitReentry_ExitsAndReentersTheState()
    {
        var phone = new PhoneCall();
        phone.Machine.Fire(phone.Dial, "bob");
        phone.Log.Clear();

        var result = phone.Machine.Fire(phone.Dial, "carol");

        Assert.Equal(FireResult.Transitioned, result);
        Assert.Equal(PhoneState.Ringing, phone.Machine.State);
        Assert.Equal(["exit Ringing", "enter Ringing", "ringing carol"], phone.Log);
        Assert.Equal("carol", phone.Callee);
    }

    [Fact]
    public void Fire_InternalTransition_RunsActionWithoutExitOrEntry()
    {
        var phone = new PhoneCall().Connect();

        var result = phone.Machine.Fire(PhoneTrigger.MuteMicrophone);

        Assert.Equal(FireResult.Internal, result);
        Assert.True(phone.Muted);
        Assert.Equal(PhoneState.Connected, phone.Machine.State);
        Assert.Empty(phone.Log);
    }

    [Fact]
    public void Fire_IgnoredTrigger_ReturnsIgnoredWithoutActionsOrHook()
    {
        var phone = new PhoneCall();

        var result = phone.Machine.Fire(PhoneTrigger.HungUp);

        Assert.Equal(FireResult.Ignored, result);
        Assert.Equal(PhoneState.OffHook, phone.Machine.State);
        Assert.Empty(phone.Log);
        Assert.Empty(phone.Unhandled);
    }

    [Fact]
    public void Fire_IntoSubstateFromParent_EntersOnlyTheSubstate()
    {
        var phone = new PhoneCall().Connect();

        phone.Machine.Fire(PhoneTrigger.PlacedOnHold);

        Assert.Equal(PhoneState.OnHold, phone.Machine.State);
        Assert.Equal(["enter OnHold"], phone.Log);
    }

    [Fact]
    public void Fire_FromSubstateToParent_ExitsOnlyTheSubstate()
    {
        var phone = new PhoneCall().Connect();
        phone.Machine.Fire(PhoneTrigger.PlacedOnHold);
        phone.Log.Clear();

        phone.Machine.Fire(PhoneTrigger.TakenOffHold);

        Assert.Equal(PhoneState.Connected, phone.Machine.State);
        Assert.Equal(["exit OnHold"], phone.Log);
    }

    [Fact]
    public void Fire_ParentTriggerInSubstate_ExitsSubstateThenParent()
    {
        var phone = new PhoneCall().Connect();
        phone.Machine.Fire(PhoneTrigger.PlacedOnHold);
        phone.Log.Clear();

        var result = phone.Machine.Fire(PhoneTrigger.HungUp);

        Assert.Equal(FireResult.Transitioned, result);
        Assert.Equal(PhoneState.OffHook, phone.Machine.State);
        Assert.Equal(["exit OnHold", "exit Connected", "enter OffHook"], phone.Log);
    }

    [Fact]
    public void Fire_ParentInternalTransitionInSubstate_RunsWithoutLeavingSubstate()
    {
        var phone = new PhoneCall().Connect();
        phone.Machine.Fire(PhoneTrigger.PlacedOnHold);
        phone.Log.Clear();

        var result = phone.Machine.Fire(phone.SetVolume, 7);

        Assert.Equal(FireResult.Internal, result);
        Assert.Equal(7, phone.Volume);
        Assert.Equal(PhoneState.OnHold, phone.Machine.State);
        Assert.Empty(phone.Log);
    }

    [Fact]
    public void Fire_SubstateIgnoresParentTrigger_SubstateWins()
    {
        var phone = new PhoneCall().Connect();
        phone.Machine.Fire(PhoneTrigger.PlacedOnHold);
        phone.Log.Clear();

        var result = phone.Machine.Fire(PhoneTrigger.PlacedOnHold);

        Assert.Equal(FireResult.Ignored, result);
        Assert.Empty(phone.Log);
    }

    [Theory]
    [InlineData(Place.Outside, Move.ToChild1, Place.Child1, "exit Outside|enter Parent|enter Child1")]
    [InlineData(Place.Outside, Move.ToGrandChild, Place.GrandChild, "exit Outside|enter Parent|enter Child1|enter GrandChild")]
    [InlineData(Place.Child1, Move.ToChild2, Place.Child2, "exit Child1|enter Child2")]
    [InlineData(Place.Child2, Move.ToGrandChild, Place.GrandChild, "exit Child2|enter Child1|enter GrandChild")]
    [InlineData(Place.GrandChild, Move.ToChild2, Place.Child2, "exit GrandChild|exit Child1|enter Child2")]
    [InlineData(Place.GrandChild, Move.ToOutside, Place.Outside, "exit GrandChild|exit Child1|exit Parent|enter Outside")]
    [InlineData(Place.GrandChild, Move.ToChild1, Place.Child1, "exit GrandChild")]
    [InlineData(Place.Child1, Move.ToParent, Place.Parent, "exit Child1")]
    [InlineData(Place.Parent, Move.ToChild1, Place.Child1, "enter Child1")]
    [InlineData(Place.Child1, Move.ToChild1, Place.Child1, "exit Child1|enter Child1")]
    [InlineData(Place.Parent, Move.Reenter, Place.Parent, "exit Parent|enter Parent|enter Parent from Reenter")]
    [InlineData(Place.GrandChild, Move.Reenter, Place.Parent, "exit GrandChild|exit Child1|exit Parent|enter Parent|enter Parent from Reenter")]
    [InlineData(Place.GrandChild, Move.Tick, Place.GrandChild, "tick")]
    public void Fire_AcrossHierarchy_ExitsInnermostFirstAndEntersOutermostFirst(Place initial, Move move, Place expected, string expectedLog)
    {
        var hierarchy = new Hierarchy(initial);

        hierarchy.Machine.Fire(move);

        Assert.Equal(expected, hierarchy.Machine.State);
        Assert.Equal(expectedLog.Split('|'), hierarchy.Log);
    }

    [Fact]
    public void Fire_IntoSubstateFromOutside_ParentEntryFromSeesTheTrigger()
    {
        var log = new List<string>();
        var machine = new StateMachine<Place, Move>(Place.Outside);
        machine.Configure(Place.Outside).Permit(Move.ToChild1, Place.Child1);
        machine.Configure(Place.Parent)
            .OnEntryFrom(Move.ToChild1, () => log.Add("parent from ToChild1"))
            .OnEntryFrom(Move.ToChild2, () => log.Add("parent from ToChild2"));
        machine.Configure(Place.Child1).SubstateOf(Place.Parent).OnEntry(() => log.Add("child1"));

        machine.Fire(Move.ToChild1);

        Assert.Equal(["parent from ToChild1", "child1"], log);
    }

    [Fact]
    public void Fire_EntryAndExitActions_RunInConfigurationOrderAndSeeTheRightState()
    {
        var log = new List<string>();
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.Configure(Step.A)
            .OnExit(() => log.Add($"exit A 1 in {machine.State}"))
            .Permit(Signal.X, Step.B)
            .OnExit(() => log.Add($"exit A 2 in {machine.State}"));
        machine.Configure(Step.B)
            .OnEntryFrom(Signal.Y, () => log.Add("never"))
            .OnEntry(() => log.Add($"enter B 1 in {machine.State}"))
            .OnEntryFrom(Signal.X, () => log.Add($"enter B from X in {machine.State}"))
            .OnEntry(() => log.Add($"enter B 2 in {machine.State}"));

        machine.Fire(Signal.X);

        Assert.Equal(["exit A 1 in A", "exit A 2 in A", "enter B 1 in B", "enter B from X in B", "enter B 2 in B"], log);
    }

    [Fact]
    public void Fire_DestinationNeverConfigured_EntersIt()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.Configure(Step.A).Permit(Signal.X, Step.C);

        var result = machine.Fire(Signal.X);

        Assert.Equal(FireResult.Transitioned, result);
        Assert.Equal(Step.C, machine.State);
        Assert.Equal(FireResult.Refused, machine.Fire(Signal.X));
    }
}
