using FeatureB2bua.Core.Calls;
using FeatureB2bua.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureB2bua.Core.Tests.Calls;

/// <summary>
/// The way from a call's end to the store: the queue never holds a call up, the writer batches, retries a failing
/// store on the clock, and flushes on stop. The writer runs on the thread pool, so results are polled for with a deadline.
/// </summary>
public sealed class CallRecordWriterTests : IDisposable
{
    private const string Node = "node-1";
    private static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Start);
    private readonly FakeCallRecordStore _store = new();
    private readonly CallRecordMetrics _metrics = new();
    private readonly PreviousRunCalls _previousRun = new();
    private readonly MeterRecorder _recorded;

    public CallRecordWriterTests() => _recorded = new MeterRecorder(_metrics.Meter);

    public void Dispose()
    {
        _recorded.Dispose();
        _metrics.Meter.Dispose();
    }

    [Fact]
    public async Task Burst_ManyCallsEndAtOnce_AllWrittenInOrderInBoundedBatches()
    {
        var (queue, writer) = Create(capacity: 5000);
        await writer.StartAsync(CancellationToken.None);

        var records = Enumerable.Range(0, 3000).Select(Record).ToList();
        records.ForEach(r => queue.Write(r));
        await PollAsync(() => _store.Records.Count == records.Count);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(records.Select(r => r.CallId), _store.Records.Select(r => r.CallId));
        Assert.All(_store.BatchSizes, size => Assert.InRange(size, 1, CallRecordWriter.MaxBatch));
        Assert.Equal(0, _recorded.Total("b2bua_cdr_dropped"));
    }

    [Fact]
    public async Task Stop_RecordsStillQueued_AreWrittenBeforeStopReturns()
    {
        var (queue, writer) = Create(capacity: 100);
        var release = HoldFirstBatch(out var firstBatchTaken);
        await writer.StartAsync(CancellationToken.None);
        _ = queue.Write(Record(0));
        await firstBatchTaken;
        Enumerable.Range(1, 9).Select(Record).ToList().ForEach(r => queue.Write(r));

        var stopping = writer.StopAsync(CancellationToken.None);
        release.SetResult();
        await stopping;

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"call-{i}"), _store.Records.Select(r => r.CallId));
    }

    [Fact]
    public async Task Write_AfterStop_IsDroppedAndCounted()
    {
        var (queue, writer) = Create(capacity: 100);
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        _ = queue.Write(Record(0));

        Assert.Empty(_store.Records);
        Assert.Equal(1, _recorded.Total("b2bua_cdr_dropped|reason=closed"));
    }

    [Fact]
    public async Task Write_QueueFullWhileTheStoreIsSlow_DropsAndCountsWithoutWaiting()
    {
        var (queue, writer) = Create(capacity: 2);
        var release = HoldFirstBatch(out var firstBatchTaken);
        await writer.StartAsync(CancellationToken.None);
        _ = queue.Write(Record(0));
        await firstBatchTaken;

        // Returns at once although nothing can be written: the writer is held up and the queue holds two.
        Enumerable.Range(1, 5).Select(Record).ToList().ForEach(r => queue.Write(r));
        var droppedWhileFull = _recorded.Total("b2bua_cdr_dropped|reason=queue_full");
        release.SetResult();
        await PollAsync(() => _store.Records.Count == 3);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(3, droppedWhileFull);
        Assert.Equal(["call-0", "call-1", "call-2"], _store.Records.Select(r => r.CallId));
    }

    [Fact]
    public async Task StoreFailsOnce_BatchIsRetriedAfterTheDelay()
    {
        var (queue, writer) = Create(capacity: 100);
        var failures = 0;
        _store.BeforeAdd = () => Interlocked.Increment(ref failures) == 1 ? Task.FromException(new IOException("disk busy")) : Task.CompletedTask;
        await writer.StartAsync(CancellationToken.None);

        _ = queue.Write(Record(0));
        await PollAsync(() => _clock.ActiveTimerCount == 1);
        Assert.Empty(_store.Records);
        _clock.Advance(CallRecordWriter.RetryDelay);
        await PollAsync(() => _store.Records.Count == 1);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(1, _recorded.Total("b2bua_cdr_write_errors"));
        Assert.Equal(0, _recorded.Total("b2bua_cdr_dropped"));
    }

    [Fact]
    public async Task StoreKeepsFailing_BatchIsDroppedAndCountedAndLaterRecordsStillGetThrough()
    {
        var (queue, writer) = Create(capacity: 100);
        var storeDown = true;
        _store.BeforeAdd = () => Volatile.Read(ref storeDown) ? Task.FromException(new IOException("disk full")) : Task.CompletedTask;
        await writer.StartAsync(CancellationToken.None);

        _ = queue.Write(Record(0));
        for (var retry = 1; retry < CallRecordWriter.MaxAttempts; retry++)
        {
            await PollAsync(() => _clock.ActiveTimerCount == 1);
            _clock.Advance(CallRecordWriter.RetryDelay);
        }

        await PollAsync(() => _recorded.Total("b2bua_cdr_dropped|reason=store_error") == 1);
        Volatile.Write(ref storeDown, false);
        _ = queue.Write(Record(1));
        await PollAsync(() => _store.Records.Count == 1);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(CallRecordWriter.MaxAttempts, _recorded.Total("b2bua_cdr_write_errors"));
        Assert.Equal("call-1", Assert.Single(_store.Records).CallId);
    }

    [Fact]
    public async Task Write_TaskCompletesOnlyOnceTheBatchIsCommitted()
    {
        var (queue, writer) = Create(capacity: 100);
        var release = HoldFirstBatch(out var firstBatchTaken);
        await writer.StartAsync(CancellationToken.None);

        var committed = queue.Write(Record(0));
        await firstBatchTaken;
        Assert.False(committed.IsCompleted);
        release.SetResult();
        await committed.WaitAsync(TimeSpan.FromSeconds(10));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal("call-0", Assert.Single(_store.Records).CallId);
    }

    [Fact]
    public async Task Write_StoreGivesUp_TaskStillCompletesSoTheCallGoesOn()
    {
        var (queue, writer) = Create(capacity: 100);
        _store.BeforeAdd = () => Task.FromException(new IOException("disk full"));
        await writer.StartAsync(CancellationToken.None);

        var committed = queue.Write(Record(0));
        for (var retry = 1; retry < CallRecordWriter.MaxAttempts; retry++)
        {
            await PollAsync(() => _clock.ActiveTimerCount == 1);
            _clock.Advance(CallRecordWriter.RetryDelay);
        }

        await committed.WaitAsync(TimeSpan.FromSeconds(10));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(1, _recorded.Total("b2bua_cdr_dropped|reason=store_error"));
    }

    [Fact]
    public async Task Journal_CallEndsLater_LeavesNoOpenCall()
    {
        var (queue, writer) = Create(capacity: 100);
        await writer.StartAsync(CancellationToken.None);

        await queue.Journal(Open(0, answeredAt: null)).WaitAsync(TimeSpan.FromSeconds(10));
        await queue.Journal(Open(1, answeredAt: null)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["call-0", "call-1"], _store.OpenCallIds.Order());
        await queue.Write(Record(0)).WaitAsync(TimeSpan.FromSeconds(10));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(["call-1"], _store.OpenCallIds);
    }

    [Fact]
    public async Task Journal_Entry_CarriesThisNode()
    {
        var (queue, writer) = Create(capacity: 100);
        await writer.StartAsync(CancellationToken.None);

        await queue.Journal(Open(0, answeredAt: null) with { Node = "" }).WaitAsync(TimeSpan.FromSeconds(10));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal([Node], _store.OpenCalls.Select(c => c.Node));
    }

    [Fact]
    public async Task Start_CallsOfAnotherNode_StayInTheJournal()
    {
        await _store.RecordAsync([Open(0, answeredAt: null) with { Node = "node-2" }], []);
        var (_, writer) = Create(capacity: 100);

        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Empty(_store.Records);
        Assert.Equal(["call-0"], _store.OpenCallIds);
    }

    [Fact]
    public async Task Start_CallsLeftOpenByACrash_GetInterruptedRecordsBeforeNewCallsAreJournaled()
    {
        await _store.RecordAsync([Open(0, answeredAt: Start.AddSeconds(2)), Open(1, answeredAt: null)], []);
        var (queue, writer) = Create(capacity: 100);
        var newCall = queue.Journal(Open(2, answeredAt: null));

        await writer.StartAsync(CancellationToken.None);
        await newCall.WaitAsync(TimeSpan.FromSeconds(10));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(["call-0", "call-1"], _store.Records.Select(r => r.CallId).Order());
        Assert.All(_store.Records, r => Assert.Equal(OpenCall.InterruptedResult, r.Result));
        Assert.Equal(Start.AddSeconds(2), _store.Records.Single(r => r.CallId == "call-0").AnsweredAt);
        Assert.Equal(["call-2"], _store.OpenCallIds);
    }

    [Fact]
    public async Task Start_TheCallsItClosed_AreHandedOnWithTheirLegs_ToBeHungUp()
    {
        await _store.RecordAsync([Open(0, answeredAt: Start) with { Legs = "{\"legs\":[]}" }, Open(1, answeredAt: null) with { Node = "node-2" }], []);
        var (_, writer) = Create(capacity: 100);

        await writer.StartAsync(CancellationToken.None);
        var closed = await _previousRun.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await writer.StopAsync(CancellationToken.None);

        var call = Assert.Single(closed);
        Assert.Equal(("call-0", "{\"legs\":[]}"), (call.CallId, call.Legs));
    }

    [Fact]
    public async Task Start_TheStoreFails_HandsOnNoCall_SoNothingWaitsForever()
    {
        await _store.RecordAsync([Open(0, answeredAt: Start)], []);
        _store.BeforeClose = () => Task.FromException(new IOException("disk full"));
        var (_, writer) = Create(capacity: 100);

        await writer.StartAsync(CancellationToken.None);
        var closed = await _previousRun.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await writer.StopAsync(CancellationToken.None);

        Assert.Empty(closed);
    }

    private static OpenCall Open(int i, DateTimeOffset? answeredAt) =>
        new($"call-{i}", "sip:alice@example.test", "sip:bob@example.test", Start, answeredAt, answeredAt ?? Start) { Node = Node };

    private static CallRecord Record(int i) =>
        new($"call-{i}", "sip:alice@example.test", "sip:bob@example.test", null, Start, null, Start.AddSeconds(1), "failed", 486, "busy");

    /// <summary>Polls for a result of the writer's thread, for at most ten seconds.</summary>
    private static async Task PollAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.True(condition(), "timed out waiting for the writer");
    }

    private (CallRecordQueue Queue, CallRecordWriter Writer) Create(int capacity)
    {
        var queue = new CallRecordQueue(capacity, _metrics);
        return (queue, new CallRecordWriter(queue, _store, _metrics, _clock, new ClusterOptions { NodeId = Node }, _previousRun, NullLogger<CallRecordWriter>.Instance));
    }

    /// <summary>The store holds the writer's first batch until the returned source is completed; <paramref name="taken"/> completes once it has it.</summary>
    private TaskCompletionSource HoldFirstBatch(out Task taken)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = 0;
        _store.BeforeAdd = () =>
        {
            if (Interlocked.Exchange(ref first, 1) == 1)
            {
                return Task.CompletedTask;
            }

            entered.SetResult();
            return release.Task;
        };
        taken = entered.Task;
        return release;
    }
}
