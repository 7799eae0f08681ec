using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.StateMachines;

namespace FeatureB2bua.Core.Tests.Calls;

/// <summary>
/// The call's state table, cell by cell: every state crossed with every trigger has the outcome written below,
/// so a move added to or dropped from the machine without a reason fails here. The committed graph in docs/ is
/// checked too.
/// </summary>
public sealed class CallStateMachineTests
{
    /// <summary>A way into each state from Routing.</summary>
    private static readonly Dictionary<CallState, CallTrigger[]> PathTo = new()
    {
        [CallState.Routing] = [],
        [CallState.Calling] = [CallTrigger.TargetTried],
        [CallState.Ringing] = [CallTrigger.TargetTried, CallTrigger.Provisional],
        [CallState.Forwarding] = [CallTrigger.TargetTried, CallTrigger.Redirected],
        [CallState.Connected] = [CallTrigger.TargetTried, CallTrigger.Answered],
        [CallState.Held] = [CallTrigger.TargetTried, CallTrigger.Answered, CallTrigger.Hold],
        [CallState.Cancelling] = [CallTrigger.TargetTried, CallTrigger.CallerCancelled],
        [CallState.Terminating] = [CallTrigger.TargetTried, CallTrigger.Answered, CallTrigger.HangUp],
        [CallState.Ended] = [CallTrigger.Failed],
    };

    /// <summary>Each allowed cell: the state after the trigger (the same state for an ignored or internal one).</summary>
    private static readonly Dictionary<(CallState, CallTrigger), CallState> Allowed = new()
    {
        [(CallState.Routing, CallTrigger.TargetTried)] = CallState.Calling,
        [(CallState.Routing, CallTrigger.Redirected)] = CallState.Forwarding,
        [(CallState.Routing, CallTrigger.Answered)] = CallState.Connected,
        [(CallState.Routing, CallTrigger.CallerCancelled)] = CallState.Cancelling,
        [(CallState.Routing, CallTrigger.Failed)] = CallState.Ended,

        [(CallState.Calling, CallTrigger.TargetTried)] = CallState.Calling,
        [(CallState.Calling, CallTrigger.Provisional)] = CallState.Ringing,
        [(CallState.Calling, CallTrigger.Redirected)] = CallState.Forwarding,
        [(CallState.Calling, CallTrigger.Answered)] = CallState.Connected,
        [(CallState.Calling, CallTrigger.CallerCancelled)] = CallState.Cancelling,
        [(CallState.Calling, CallTrigger.Failed)] = CallState.Ended,

        [(CallState.Ringing, CallTrigger.Provisional)] = CallState.Ringing,
        [(CallState.Ringing, CallTrigger.TargetTried)] = CallState.Calling,
        [(CallState.Ringing, CallTrigger.Redirected)] = CallState.Forwarding,
        [(CallState.Ringing, CallTrigger.Answered)] = CallState.Connected,
        [(CallState.Ringing, CallTrigger.CallerCancelled)] = CallState.Cancelling,
        [(CallState.Ringing, CallTrigger.Failed)] = CallState.Ended,

        [(CallState.Forwarding, CallTrigger.TargetTried)] = CallState.Calling,
        [(CallState.Forwarding, CallTrigger.CallerCancelled)] = CallState.Cancelling,
        [(CallState.Forwarding, CallTrigger.Failed)] = CallState.Ended,

        [(CallState.Connected, CallTrigger.Hold)] = CallState.Held,
        [(CallState.Connected, CallTrigger.Resume)] = CallState.Connected,
        [(CallState.Connected, CallTrigger.HangUp)] = CallState.Terminating,

        // Held is a substate of Connected: a hang-up while held is the superstate's move.
        [(CallState.Held, CallTrigger.Hold)] = CallState.Held,
        [(CallState.Held, CallTrigger.Resume)] = CallState.Connected,
        [(CallState.Held, CallTrigger.HangUp)] = CallState.Terminating,

        [(CallState.Cancelling, CallTrigger.Provisional)] = CallState.Cancelling,
        [(CallState.Cancelling, CallTrigger.AnswerAfterCancel)] = CallState.Terminating,
        [(CallState.Cancelling, CallTrigger.Finished)] = CallState.Ended,

        [(CallState.Terminating, CallTrigger.HangUp)] = CallState.Terminating,
        [(CallState.Terminating, CallTrigger.AnswerAfterCancel)] = CallState.Terminating,
        [(CallState.Terminating, CallTrigger.Finished)] = CallState.Ended,

        [(CallState.Ended, CallTrigger.Finished)] = CallState.Ended,
        [(CallState.Ended, CallTrigger.Failed)] = CallState.Ended,
    };

    public static TheoryData<CallState, CallTrigger> EveryCell()
    {
        var data = new TheoryData<CallState, CallTrigger>();
        foreach (var state in Enum.GetValues<CallState>())
        {
            foreach (var trigger in Enum.GetValues<CallTrigger>())
            {
                data.Add(state, trigger);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCell))]
    public void Fire_EveryStateAndTrigger_MovesAsTheTableSaysOrIsRefusedAndReported(CallState state, CallTrigger trigger)
    {
        var machine = CallStateMachine.Create();
        foreach (var step in PathTo[state])
        {
            Assert.NotEqual(FireResult.Refused, machine.Fire(step));
        }

        Assert.Equal(state, machine.State);
        var reported = new List<(CallState, CallTrigger)>();
        machine.OnUnhandledTrigger((s, t) => reported.Add((s, t)));

        var result = machine.Fire(trigger);

        if (Allowed.TryGetValue((state, trigger), out var expected))
        {
            Assert.NotEqual(FireResult.Refused, result);
            Assert.Equal(expected, machine.State);
            Assert.Empty(reported);
        }
        else
        {
            // Refused without throwing: the state stays and the hook hears of it (the call logs it).
            Assert.Equal(FireResult.Refused, result);
            Assert.Equal(state, machine.State);
            Assert.Equal([(state, trigger)], reported);
        }
    }

    [Fact]
    public void Held_IsInConnected_AndOffersTheSuperstatesTriggers()
    {
        var machine = CallStateMachine.Create();
        foreach (var step in PathTo[CallState.Held])
        {
            machine.Fire(step);
        }

        Assert.True(machine.IsInState(CallState.Connected));
        Assert.Contains(CallTrigger.HangUp, machine.PermittedTriggers);
        Assert.Contains(CallTrigger.Resume, machine.PermittedTriggers);
        Assert.DoesNotContain(CallTrigger.CallerCancelled, machine.PermittedTriggers);
    }

    [Fact]
    public void ToDotGraph_MatchesTheGraphInDocs()
    {
        var committed = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "call-state-machine.dot"));

        Assert.Equal(committed, CallStateMachine.Create().ToDotGraph());
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FeatureB2bua.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("FeatureB2bua.sln not found above the test directory.");
    }
}
