using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.StateMachines;

namespace FeatureB2bua.Core.Tests.Calls;

/// <summary>The call's state table: every allowed move, a refused one, and the committed graph in docs/.</summary>
public sealed class CallStateMachineTests
{
    [Theory]
    [InlineData(new[] { CallTrigger.TargetTried, CallTrigger.Provisional, CallTrigger.Answered, CallTrigger.HangUp, CallTrigger.Finished }, CallState.Ended)]
    [InlineData(new[] { CallTrigger.TargetTried, CallTrigger.Provisional, CallTrigger.Provisional }, CallState.Ringing)]
    [InlineData(new[] { CallTrigger.TargetTried, CallTrigger.TargetTried }, CallState.Calling)]
    [InlineData(new[] { CallTrigger.TargetTried, CallTrigger.Provisional, CallTrigger.TargetTried }, CallState.Calling)]
    [InlineData(new[] { CallTrigger.TargetTried, CallTrigger.Failed }, CallState.Ended)]
    [InlineData(new[] { CallTrigger.Failed }, CallState.Ended)]
    [InlineData(new[] { CallTrigger.CallerCancelled, CallTrigger.Finished }, CallState.Ended)]
    [InlineData(new[] { CallTrigger.TargetTried, CallTrigger.Provisional, CallTrigger.CallerCancelled, CallTrigger.Provisional }, CallState.Cancelling)]
    [InlineData(new[] { CallTrigger.TargetTried, CallTrigger.CallerCancelled, CallTrigger.AnswerAfterCancel, CallTrigger.Finished }, CallState.Ended)]
    [InlineData(new[] { CallTrigger.TargetTried, CallTrigger.Answered, CallTrigger.HangUp, CallTrigger.HangUp }, CallState.Terminating)]
    public void Fire_AllowedSequence_EndsInExpectedState(CallTrigger[] triggers, CallState expected)
    {
        var machine = CallStateMachine.Create();

        foreach (var trigger in triggers)
        {
            Assert.NotEqual(FireResult.Refused, machine.Fire(trigger));
        }

        Assert.Equal(expected, machine.State);
    }

    [Theory]
    [InlineData(CallTrigger.Answered)]
    [InlineData(CallTrigger.HangUp)]
    [InlineData(CallTrigger.AnswerAfterCancel)]
    public void Fire_NotAllowedWhileRouting_IsRefusedAndReported(CallTrigger trigger)
    {
        var machine = CallStateMachine.Create();
        var reported = new List<(CallState, CallTrigger)>();
        machine.OnUnhandledTrigger((s, t) => reported.Add((s, t)));

        Assert.Equal(FireResult.Refused, machine.Fire(trigger));
        Assert.Equal(CallState.Routing, machine.State);
        Assert.Equal([(CallState.Routing, trigger)], reported);
    }

    [Fact]
    public void Fire_CancelAfterAnswer_IsRefused()
    {
        var machine = CallStateMachine.Create();
        machine.Fire(CallTrigger.TargetTried);
        machine.Fire(CallTrigger.Answered);

        // RFC 3261 §9.2: after a final response a CANCEL changes nothing.
        Assert.Equal(FireResult.Refused, machine.Fire(CallTrigger.CallerCancelled));
        Assert.Equal(CallState.Connected, machine.State);
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
