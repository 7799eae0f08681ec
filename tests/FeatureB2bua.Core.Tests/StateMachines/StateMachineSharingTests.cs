using FeatureB2bua.Core.StateMachines;

namespace FeatureB2bua.Core.Tests.StateMachines;

/// <summary>NewInstance: machines running one shared configuration, each with its own state and hooks.</summary>
public sealed class StateMachineSharingTests
{
    [Fact]
    public void NewInstance_StartsInInitialStateAndMovesIndependently()
    {
        var table = new StateMachine<Step, Signal>(Step.A);
        table.Configure(Step.A).Permit(Signal.X, Step.B);
        table.Configure(Step.B).Permit(Signal.Y, Step.A);

        var first = table.NewInstance();
        var second = table.NewInstance();

        Assert.Equal(FireResult.Transitioned, first.Fire(Signal.X));
        Assert.Equal(Step.B, first.State);
        Assert.Equal(Step.A, second.State);
        Assert.Equal(Step.A, table.State);
        Assert.Equal(table.ToDotGraph(), second.ToDotGraph());
    }

    [Fact]
    public void NewInstance_UnhandledHookIsEachMachinesOwn()
    {
        var table = new StateMachine<Step, Signal>(Step.A);
        table.Configure(Step.A).Permit(Signal.X, Step.B);
        var refused = new List<string>();
        var first = table.NewInstance();
        var second = table.NewInstance();
        first.OnUnhandledTrigger((state, trigger) => refused.Add($"first {state} {trigger}"));
        second.OnUnhandledTrigger((state, trigger) => refused.Add($"second {state} {trigger}"));

        first.Fire(Signal.Y);

        Assert.Equal(["first A Y"], refused);
    }

    [Fact]
    public void NewInstance_ConfigurationIsFrozenInBoth()
    {
        var table = new StateMachine<Step, Signal>(Step.A);
        table.Configure(Step.A).Permit(Signal.X, Step.B);
        var instance = table.NewInstance();

        Assert.Throws<InvalidOperationException>(() => table.Configure(Step.C));
        Assert.Throws<InvalidOperationException>(() => instance.Configure(Step.A));
        Assert.Throws<InvalidOperationException>(() => instance.SetTriggerParameters<int>(Signal.Z));
    }

    [Fact]
    public void NewInstance_WithTriggerParameters_Refused()
    {
        var table = new StateMachine<Step, Signal>(Step.A);
        table.SetTriggerParameters<int>(Signal.X);

        Assert.Throws<InvalidOperationException>(() => table.NewInstance());
    }
}
