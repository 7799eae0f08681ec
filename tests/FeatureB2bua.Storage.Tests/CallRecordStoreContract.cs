using FeatureB2bua.Core.Calls;

namespace FeatureB2bua.Storage.Tests;

/// <summary>
/// What every <see cref="ICallRecordStore"/> must do, written once against the interface; a backend derives from this
/// class and says how to get a store over an empty database and how to reopen it. Times are whole milliseconds, the
/// precision a store must keep.
/// </summary>
public abstract class CallRecordStoreContract
{
    private const string NodeA = "node-a";
    private const string NodeB = "node-b";
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    /// <summary>A new store over a new, empty database.</summary>
    protected abstract Task<ICallRecordStore> CreateStoreAsync();

    /// <summary>A new store object over the database of the last <see cref="CreateStoreAsync"/>, as after a restart.</summary>
    protected abstract Task<ICallRecordStore> ReopenStoreAsync();

    [StoreFact]
    public async Task ListRecentAsync_EmptyStore_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();

        Assert.Empty(await store.ListRecentAsync(100));
    }

    [StoreFact]
    public async Task AddAsync_AnsweredCall_ReadsBackEveryField()
    {
        var store = await CreateStoreAsync();
        var record = new CallRecord(
            "call-1@192.0.2.1", "sip:alice@example.test", "sip:bob@example.test", "sip:bob@192.0.2.20:5062",
            Now, Now.AddMilliseconds(2500), Now.AddSeconds(61), "answered", 200, null)
        {
            Features = ["forwardBusy", "musicOnHold"],
        };

        await store.AddAsync([record]);

        AssertSame(record, Assert.Single(await store.ListRecentAsync(10)));
    }

    [StoreFact]
    public async Task AddAsync_UnansweredCall_ReadsBackNullsAndNoFeatures()
    {
        var store = await CreateStoreAsync();
        var record = new CallRecord("call-2", "sip:alice@example.test", "sip:nobody@example.test", null, Now, null, Now.AddSeconds(1), "failed", 404, "no route");

        await store.AddAsync([record]);

        var read = Assert.Single(await store.ListRecentAsync(10));
        AssertSame(record, read);
        Assert.Null(read.AnsweredAt);
        Assert.Null(read.FinalTarget);
        Assert.Empty(read.Features);
    }

    [StoreFact]
    public async Task ListRecentAsync_SeveralRecords_NewestEndFirst()
    {
        var store = await CreateStoreAsync();
        await store.AddAsync([Ended("middle", 20), Ended("oldest", 10)]);
        await store.AddAsync([Ended("newest", 30)]);

        var ids = (await store.ListRecentAsync(10)).Select(r => r.CallId);

        Assert.Equal(["newest", "middle", "oldest"], ids);
    }

    [StoreFact]
    public async Task ListRecentAsync_SameEndTime_LastAddedFirst()
    {
        var store = await CreateStoreAsync();
        await store.AddAsync([Ended("first", 10), Ended("second", 10)]);
        await store.AddAsync([Ended("third", 10)]);

        var ids = (await store.ListRecentAsync(10)).Select(r => r.CallId);

        Assert.Equal(["third", "second", "first"], ids);
    }

    [StoreFact]
    public async Task ListRecentAsync_Limit_ReturnsOnlyTheNewest()
    {
        var store = await CreateStoreAsync();
        await store.AddAsync([.. Enumerable.Range(1, 10).Select(i => Ended($"call-{i}", i))]);

        var ids = (await store.ListRecentAsync(3)).Select(r => r.CallId);

        Assert.Equal(["call-10", "call-9", "call-8"], ids);
    }

    [StoreFact]
    public async Task ListRecentAsync_SinceAndUntil_OnlyThoseEndedInBetween()
    {
        var store = await CreateStoreAsync();
        await store.AddAsync([.. Enumerable.Range(1, 5).Select(i => Ended($"call-{i}", i))]);

        var since = await store.ListRecentAsync(10, since: Now.AddSeconds(4));
        var until = await store.ListRecentAsync(10, until: Now.AddSeconds(2));
        var between = await store.ListRecentAsync(10, Now.AddSeconds(2), Now.AddSeconds(4));

        Assert.Equal(["call-5", "call-4"], since.Select(r => r.CallId));
        Assert.Equal(["call-1"], until.Select(r => r.CallId));
        Assert.Equal(["call-3", "call-2"], between.Select(r => r.CallId));
    }

    [StoreFact]
    public async Task AddAsync_ManyRecordsInOneBatch_AllReadBack()
    {
        var store = await CreateStoreAsync();
        var records = Enumerable.Range(0, 2000).Select(i => Ended($"call-{i}", i) with { Features = [$"feature-{i}"] }).ToList();

        await store.AddAsync(records);

        var read = await store.ListRecentAsync(5000);
        Assert.Equal(records.Count, read.Count);
        Assert.Equal(records.AsEnumerable().Reverse().Select(r => (r.CallId, r.Features[0])), read.Select(r => (r.CallId, r.Features[0])));
    }

    [StoreFact]
    public async Task AddAsync_EmptyBatch_AddsNothing()
    {
        var store = await CreateStoreAsync();

        await store.AddAsync([]);

        Assert.Empty(await store.ListRecentAsync(10));
    }

    [StoreFact]
    public async Task ReopenedStore_AfterAdd_SeesTheRecords()
    {
        var store = await CreateStoreAsync();
        var record = Ended("call-1", 5) with { Features = ["forwardNoAnswer"] };
        await store.AddAsync([record]);

        var reopened = await ReopenStoreAsync();

        AssertSame(record, Assert.Single(await reopened.ListRecentAsync(10)));
    }

    [StoreFact]
    public async Task CloseInterruptedAsync_NothingJournaled_ClosesNothing()
    {
        var store = await CreateStoreAsync();

        Assert.Empty(await store.CloseInterruptedAsync(NodeA));
        Assert.Empty(await store.ListRecentAsync(10));
    }

    [StoreFact]
    public async Task CloseInterruptedAsync_CallsOpenAtACrash_GetInterruptedRecordsEndedAtTheNodesLastHeartbeat()
    {
        var store = await CreateStoreAsync();
        var ringing = Open("ringing", Now, answeredAt: null, seenAt: Now) with { Legs = """{"a":"ringing-a"}""" };
        var answered = Open("answered", Now.AddSeconds(1), answeredAt: Now.AddSeconds(3), seenAt: Now.AddSeconds(3)) with { Legs = """{"a":"answered-a","b":"answered-b"}""" };
        await store.RecordAsync([ringing, answered], []);
        await store.BeatAsync(NodeA, Now.AddSeconds(7));

        var reopened = await ReopenStoreAsync();
        var closed = await reopened.CloseInterruptedAsync(NodeA);

        Assert.Equal([ringing, answered], closed.OrderBy(c => c.SetupAt));
        var records = await reopened.ListRecentAsync(10);
        var lastKnown = Now.AddSeconds(7);
        AssertSame(new CallRecord("ringing", ringing.Caller, ringing.Dialled, null, Now, null, lastKnown, OpenCall.InterruptedResult, 0, null), records.Single(r => r.CallId == "ringing"));
        AssertSame(
            new CallRecord("answered", answered.Caller, answered.Dialled, null, answered.SetupAt, answered.AnsweredAt, lastKnown, OpenCall.InterruptedResult, 200, null),
            records.Single(r => r.CallId == "answered"));
        Assert.Empty(await reopened.CloseInterruptedAsync(NodeA));
        Assert.Equal(2, (await reopened.ListRecentAsync(10)).Count);
    }

    [StoreFact]
    public async Task CloseInterruptedAsync_JournalWrittenAfterTheLastHeartbeat_EndsAtTheNodesLatestJournalWrite()
    {
        var store = await CreateStoreAsync();
        await store.BeatAsync(NodeA, Now.AddSeconds(1));
        await store.RecordAsync([Open("early", Now, null, Now), Open("late", Now.AddSeconds(2), Now.AddSeconds(4), Now.AddSeconds(4))], []);
        await store.RecordAsync([Open("other", Now, null, Now.AddSeconds(9)) with { Node = NodeB }], []);
        await store.BeatAsync(NodeB, Now.AddSeconds(10));

        await store.CloseInterruptedAsync(NodeA);

        Assert.All(await store.ListRecentAsync(10), r => Assert.Equal(Now.AddSeconds(4), r.EndedAt));
    }

    [StoreFact]
    public async Task CloseInterruptedAsync_CallsOfAnotherNode_StayUntilThatNodeIsClosed()
    {
        var store = await CreateStoreAsync();
        var mine = Open("mine", Now, null, Now);
        var theirs = Open("theirs", Now, Now.AddSeconds(1), Now.AddSeconds(1)) with { Node = NodeB, Legs = "{}" };
        await store.RecordAsync([mine, theirs], []);

        Assert.Equal([mine], await store.CloseInterruptedAsync(NodeA));
        Assert.Equal(["mine"], (await store.ListRecentAsync(10)).Select(r => r.CallId));

        Assert.Equal([theirs], await store.CloseInterruptedAsync(NodeB));
        Assert.Equal(["theirs", "mine"], (await store.ListRecentAsync(10)).Select(r => r.CallId));
    }

    [StoreFact]
    public async Task CloseInterruptedAsync_TwoClosersAtOnce_CloseAndReturnEachCallOnce()
    {
        var store = await CreateStoreAsync();
        var calls = Enumerable.Range(0, 200).Select(i => Open($"call-{i}", Now.AddMilliseconds(i), null, Now.AddMilliseconds(i))).ToList();
        await store.RecordAsync(calls, []);
        var other = await ReopenStoreAsync();

        var closed = await Task.WhenAll(Task.Run(() => store.CloseInterruptedAsync(NodeA)), Task.Run(() => other.CloseInterruptedAsync(NodeA)));

        Assert.Equal(calls.Select(c => c.CallId).Order(), closed.SelectMany(c => c).Select(c => c.CallId).Order());
        Assert.Equal(calls.Count, (await store.ListRecentAsync(1000)).Count);
    }

    [StoreFact]
    public async Task RecordAsync_JournaledThenAnsweredThenEnded_LeavesNothingToClose()
    {
        var store = await CreateStoreAsync();
        var started = Open("call-1", Now, null, Now);
        await store.RecordAsync([started], []);
        await store.RecordAsync([started with { AnsweredAt = Now.AddSeconds(1), SeenAt = Now.AddSeconds(1) }], []);

        await store.RecordAsync([], [Ended("call-1", 5)]);

        Assert.Empty(await store.CloseInterruptedAsync(NodeA));
        Assert.Equal("answered", Assert.Single(await store.ListRecentAsync(10)).Result);
    }

    [StoreFact]
    public async Task RecordAsync_StartAndEndInOneBatch_LeavesNothingToClose()
    {
        var store = await CreateStoreAsync();

        await store.RecordAsync([Open("call-1", Now, null, Now)], [Ended("call-1", 1)]);

        Assert.Empty(await store.CloseInterruptedAsync(NodeA));
        Assert.Single(await store.ListRecentAsync(10));
    }

    [StoreFact]
    public async Task ListSilentNodesAsync_NodesWithCalls_OnlyOthersSilentSinceThen()
    {
        var store = await CreateStoreAsync();
        await store.RecordAsync(
            [Open("a", Now, null, Now), Open("b", Now, null, Now) with { Node = NodeB }, Open("c", Now, null, Now) with { Node = "node-c" }], []);
        await store.BeatAsync(NodeA, Now);
        await store.BeatAsync(NodeB, Now.AddSeconds(5));
        await store.BeatAsync("node-c", Now.AddSeconds(30));
        await store.BeatAsync("node-idle", Now);

        Assert.Equal([NodeB], await store.ListSilentNodesAsync(NodeA, Now.AddSeconds(20)));
        Assert.Equal([NodeA], await store.ListSilentNodesAsync(NodeB, Now.AddSeconds(20)));
        Assert.Empty(await store.ListSilentNodesAsync(NodeA, Now.AddSeconds(5)));
    }

    [StoreFact]
    public async Task ListSilentNodesAsync_LaterHeartbeat_NoLongerSilent()
    {
        var store = await CreateStoreAsync();
        await store.RecordAsync([Open("b", Now, null, Now) with { Node = NodeB }], []);
        await store.BeatAsync(NodeB, Now);
        Assert.Equal([NodeB], await store.ListSilentNodesAsync(NodeA, Now.AddSeconds(20)));

        await store.BeatAsync(NodeB, Now.AddSeconds(21));

        Assert.Empty(await store.ListSilentNodesAsync(NodeA, Now.AddSeconds(20)));
    }

    [StoreFact]
    public async Task ListSilentNodesAsync_NodeThatNeverBeat_SilentOnceItsLastJournalWriteIsOld()
    {
        var store = await CreateStoreAsync();
        await store.RecordAsync([Open("b", Now, Now.AddSeconds(10), Now.AddSeconds(10)) with { Node = NodeB }], []);

        Assert.Empty(await store.ListSilentNodesAsync(NodeA, Now.AddSeconds(10)));
        Assert.Equal([NodeB], await store.ListSilentNodesAsync(NodeA, Now.AddSeconds(11)));
    }

    [StoreFact]
    public async Task ListSilentNodesAsync_SilentNodesCallsClosed_NoLongerListed()
    {
        var store = await CreateStoreAsync();
        await store.RecordAsync([Open("b", Now, null, Now) with { Node = NodeB }], []);

        await store.CloseInterruptedAsync(NodeB);

        Assert.Empty(await store.ListSilentNodesAsync(NodeA, Now.AddSeconds(20)));
    }

    private static OpenCall Open(string callId, DateTimeOffset setupAt, DateTimeOffset? answeredAt, DateTimeOffset seenAt) =>
        new(callId, "sip:alice@example.test", "sip:bob@example.test", setupAt, answeredAt, seenAt) { Node = NodeA };

    private static CallRecord Ended(string callId, int endedAfterSeconds) =>
        new(callId, "sip:alice@example.test", "sip:bob@example.test", "sip:bob@192.0.2.20", Now, Now, Now.AddSeconds(endedAfterSeconds), "answered", 200, null);

    /// <summary>Field by field: a record's own equality compares its feature list by reference.</summary>
    private static void AssertSame(CallRecord expected, CallRecord actual)
    {
        Assert.Equal(expected.Features, actual.Features);
        Assert.Equal(expected, actual with { Features = expected.Features });
    }
}
