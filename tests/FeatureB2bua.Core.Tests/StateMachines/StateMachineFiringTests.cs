using FeatureB2bua.Core.StateMachines;

namespace FeatureB2bua.Core.Tests.StateMachines;

/// <summary>Refusals, run-to-completion queueing, parameterised triggers and exceptions from actions.</summary>
public sealed class StateMachineFiringTests
{
    private readonly List<string> _log = [];

    [Fact]
    public void Fire_UnconfiguredTrigger_RefusedAndHookCalledWithStateAndTrigger()
    {
        var phone = new PhoneCall();

        var result = phone.Machine.Fire(PhoneTrigger.TakenOffHold);

        Assert.Equal(FireResult.Refused, result);
        Assert.Equal(PhoneState.OffHook, phone.Machine.State);
        Assert.Equal([(PhoneState.OffHook, PhoneTrigger.TakenOffHold)], phone.Unhandled);
        Assert.Empty(phone.Log);
    }

    [Fact]
    public void Fire_UnconfiguredTriggerWithoutHook_RefusedWithoutThrowing()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);

        Assert.Equal(FireResult.Refused, machine.Fire(Signal.Z));
        Assert.Equal(Step.A, machine.State);
    }

    [Fact]
    public void Fire_FromEntryAction_QueuedUntilTransitionCompletes()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        var innerResult = FireResult.Refused;
        machine.Configure(Step.A).Permit(Signal.X, Step.B).OnExit(() => _log.Add("exit A"));
        machine.Configure(Step.B)
            .OnEntry(() =>
            {
                _log.Add("enter B 1");
                innerResult = machine.Fire(Signal.Y);
                _log.Add($"enter B 1 still in {machine.State}");
            })
            .OnEntry(() => _log.Add("enter B 2"))
            .OnExit(() => _log.Add("exit B"))
            .Permit(Signal.Y, Step.C);
        machine.Configure(Step.C).OnEntry(() => _log.Add("enter C"));

        var result = machine.Fire(Signal.X);

        Assert.Equal(FireResult.Transitioned, result);
        Assert.Equal(FireResult.Queued, innerResult);
        Assert.Equal(Step.C, machine.State);
        Assert.Equal(["exit A", "enter B 1", "enter B 1 still in B", "enter B 2", "exit B", "enter C"], _log);
    }

    [Fact]
    public void Fire_SeveralFromActions_RunInFiringOrder()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.Configure(Step.A)
            .OnExit(() =>
            {
                machine.Fire(Signal.Y);
                machine.Fire(Signal.Z);
            })
            .Permit(Signal.X, Step.B);
        machine.Configure(Step.B)
            .InternalTransition(Signal.Y, () => _log.Add($"Y in {machine.State}"))
            .InternalTransition(Signal.Z, () =>
            {
                _log.Add($"Z in {machine.State}");
                machine.Fire(Signal.Y);
            });

        machine.Fire(Signal.X);

        Assert.Equal(["Y in B", "Z in B", "Y in B"], _log);
    }

    [Fact]
    public void Fire_QueuedTriggerRefused_HookCalledAfterTransition()
    {
        var unhandled = new List<(Step, Signal)>();
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.OnUnhandledTrigger((state, trigger) => unhandled.Add((state, trigger)));
        machine.Configure(Step.A).Permit(Signal.X, Step.B);
        machine.Configure(Step.B).OnEntry(() => machine.Fire(Signal.Z));

        var result = machine.Fire(Signal.X);

        Assert.Equal(FireResult.Transitioned, result);
        Assert.Equal([(Step.B, Signal.Z)], unhandled);
    }

    [Fact]
    public void Fire_ParameterisedTrigger_OnEntryFromReceivesArgument()
    {
        var phone = new PhoneCall();

        phone.Machine.Fire(phone.Dial, "alice");

        Assert.Equal("alice", phone.Callee);
    }

    [Fact]
    public void Fire_ParameterisedInternalTransition_ActionReceivesArgument()
    {
        var phone = new PhoneCall().Connect();

        var result = phone.Machine.Fire(phone.SetVolume, 11);

        Assert.Equal(FireResult.Internal, result);
        Assert.Equal(11, phone.Volume);
    }

    [Fact]
    public void Fire_ParameterisedTriggerQueued_ArgumentsArriveInOrder()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        var note = machine.SetTriggerParameters<Note>(Signal.Y);
        machine.Configure(Step.A).Permit(Signal.X, Step.B);
        machine.Configure(Step.B)
            .OnEntry(() =>
            {
                machine.Fire(note, new Note("first", 1));
                machine.Fire(note, new Note("second", 2));
            })
            .InternalTransition(note, n =>
            {
                _log.Add($"{n.Text} {n.Number}");
                if (n.Number == 1)
                {
                    machine.Fire(note, new Note("third", 3));
                }
            });

        machine.Fire(Signal.X);

        Assert.Equal(["first 1", "second 2", "third 3"], _log);
    }

    [Fact]
    public void Fire_PlainOverloadForParameterisedTrigger_Throws()
    {
        var phone = new PhoneCall();

        Assert.Throws<ArgumentException>(() => phone.Machine.Fire(PhoneTrigger.CallDialled));
        Assert.Equal(PhoneState.OffHook, phone.Machine.State);
    }

    [Fact]
    public void Fire_TriggerOfAnotherMachine_Throws()
    {
        var phone = new PhoneCall();
        var other = new PhoneCall();

        Assert.Throws<ArgumentException>(() => phone.Machine.Fire(other.Dial, "bob"));
        Assert.Throws<ArgumentException>(() => phone.Machine.Configure(PhoneState.Voicemail).OnEntryFrom(other.Dial, _ => { }));
    }

    [Fact]
    public void Fire_ExitActionThrows_PropagatesAndStateStaysSource()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        var fail = true;
        machine.Configure(Step.A)
            .OnExit(() => _log.Add("exit A 1"))
            .OnExit(() =>
            {
                if (fail)
                {
                    throw new InvalidOperationException("exit bug");
                }
            })
            .OnExit(() => _log.Add("exit A 3"))
            .Permit(Signal.X, Step.B);
        machine.Configure(Step.B).OnEntry(() => _log.Add("enter B"));

        Assert.Throws<InvalidOperationException>(() => machine.Fire(Signal.X));
        Assert.Equal(Step.A, machine.State);
        Assert.Equal(["exit A 1"], _log);

        fail = false;
        Assert.Equal(FireResult.Transitioned, machine.Fire(Signal.X));
        Assert.Equal(Step.B, machine.State);
    }

    [Fact]
    public void Fire_EntryActionThrows_PropagatesAndStateIsDestination()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.Configure(Step.A).Permit(Signal.X, Step.B);
        machine.Configure(Step.B)
            .OnEntry(() => throw new InvalidOperationException("entry bug"))
            .OnEntry(() => _log.Add("enter B 2"))
            .Permit(Signal.Y, Step.C);

        Assert.Throws<InvalidOperationException>(() => machine.Fire(Signal.X));
        Assert.Equal(Step.B, machine.State);
        Assert.Empty(_log);
        Assert.Equal(FireResult.Transitioned, machine.Fire(Signal.Y));
    }

    [Fact]
    public void Fire_InternalActionThrows_PropagatesAndStateUnchanged()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.Configure(Step.A)
            .InternalTransition(Signal.X, () => throw new InvalidOperationException("action bug"))
            .Permit(Signal.Y, Step.B);

        Assert.Throws<InvalidOperationException>(() => machine.Fire(Signal.X));
        Assert.Equal(Step.A, machine.State);
        Assert.Equal(FireResult.Transitioned, machine.Fire(Signal.Y));
    }

    [Fact]
    public void Fire_ActionThrowsAfterQueueing_QueuedTriggersDiscarded()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        var note = machine.SetTriggerParameters<Note>(Signal.Z);
        machine.Configure(Step.A).Permit(Signal.X, Step.B);
        machine.Configure(Step.B)
            .OnEntry(() =>
            {
                machine.Fire(note, new Note("stale", 0));
                machine.Fire(Signal.Y);
                throw new InvalidOperationException("entry bug");
            })
            .InternalTransition(note, n => _log.Add(n.Text))
            .Permit(Signal.Y, Step.C);

        Assert.Throws<InvalidOperationException>(() => machine.Fire(Signal.X));
        Assert.Equal(Step.B, machine.State);
        Assert.Empty(_log);

        Assert.Equal(FireResult.Internal, machine.Fire(note, new Note("fresh", 1)));
        Assert.Equal(["fresh"], _log);
    }

    [Fact]
    public void Fire_HookFiresTrigger_QueuedAndRun()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.OnUnhandledTrigger((_, _) => machine.Fire(Signal.Y));
        machine.Configure(Step.A).Permit(Signal.Y, Step.B);

        Assert.Equal(FireResult.Refused, machine.Fire(Signal.Z));
        Assert.Equal(Step.B, machine.State);
    }

    [Fact]
    public void SetTriggerParameters_Twice_Throws()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.SetTriggerParameters<int>(Signal.X);

        Assert.Throws<InvalidOperationException>(() => machine.SetTriggerParameters<string>(Signal.X));
    }

    [Fact]
    public void Fire_SteadyState_DoesNotAllocate()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        var amount = machine.SetTriggerParameters<int>(Signal.Z);
        var entries = 0;
        var total = 0;
        machine.Configure(Step.A)
            .SubstateOf(Step.C)
            .OnEntry(() => entries++)
            .Permit(Signal.X, Step.B);
        machine.Configure(Step.B)
            .SubstateOf(Step.C)
            .OnEntryFrom(Signal.X, () => machine.Fire(Signal.Y))
            .PermitIf(Signal.Y, Step.A, () => entries >= 0, "always")
            .PermitIf(Signal.Y, Step.C, () => entries < 0, "never");
        machine.Configure(Step.C).InternalTransition(amount, value => total += value);

        for (var i = 0; i < 1_000; i++)
        {
            machine.Fire(Signal.X);
            machine.Fire(amount, 1);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            machine.Fire(Signal.X);
            machine.Fire(amount, 1);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2_000, entries);
        Assert.Equal(2_000, total);
    }

    private sealed record Note(string Text, int Number);
}
