namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The calls this node's previous run left in the journal, as the CDR writer closed them at start (before any call of
/// this run is journaled), handed to whoever hangs up their legs once the SIP stack is up. One place closes them, one
/// place hangs them up; a start whose close failed hands over none (they stay in the journal for the next start).
/// </summary>
public sealed class PreviousRunCalls
{
    private readonly TaskCompletionSource<IReadOnlyList<OpenCall>> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<IReadOnlyList<OpenCall>> Closed => _closed.Task;

    public void Set(IReadOnlyList<OpenCall> calls) => _closed.TrySetResult(calls);
}
