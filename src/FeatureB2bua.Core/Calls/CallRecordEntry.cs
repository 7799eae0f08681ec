namespace FeatureB2bua.Core.Calls;

/// <summary>One write waiting in the <see cref="CallRecordQueue"/>: a journal entry or a CDR, and whoever waits for its commit.</summary>
public sealed class CallRecordEntry
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CallRecordEntry(OpenCall openCall) => OpenCall = openCall;

    public CallRecordEntry(CallRecord record) => Record = record;

    public OpenCall? OpenCall { get; }

    public CallRecord? Record { get; }

    /// <summary>Completes when the entry is committed or given up; continuations run on the thread pool, not the writer's loop.</summary>
    public Task Done => _done.Task;

    public void Complete() => _done.TrySetResult();
}
