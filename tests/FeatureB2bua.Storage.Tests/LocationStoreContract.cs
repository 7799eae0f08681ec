using FeatureB2bua.Core.Registration;

namespace FeatureB2bua.Storage.Tests;

/// <summary>
/// What every <see cref="ILocationStore"/> must do, written once against the interface. A backend derives from this
/// class and says how to get a store over an empty database and how to reopen that database. Times are passed in,
/// never slept for; they are whole milliseconds, the precision a store must keep.
/// </summary>
public abstract class LocationStoreContract
{
    private const string Alice = "alice@example.test";
    private const string Bob = "bob@example.test";
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    /// <summary>A new store over a new, empty database.</summary>
    protected abstract Task<ILocationStore> CreateStoreAsync();

    /// <summary>A new store object over the database of the last <see cref="CreateStoreAsync"/>, as after a restart.</summary>
    protected abstract Task<ILocationStore> ReopenStoreAsync();

    [StoreFact]
    public async Task GetBindingsAsync_EmptyStore_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();

        Assert.Empty(await store.GetBindingsAsync(Alice, Now));
    }

    [StoreFact]
    public async Task ApplyAsync_NewBinding_GetReturnsItUnchanged()
    {
        var store = await CreateStoreAsync();
        var binding = Binding(Alice, "sip:alice@192.0.2.10:5062", expiresIn: 3600) with { UserAgent = "Phone/1.0" };

        await store.ApplyAsync(Alice, [], [binding]);

        Assert.Equal([binding], await store.GetBindingsAsync(Alice, Now));
    }

    [StoreFact]
    public async Task ApplyAsync_NoUserAgent_ReadsBackNull()
    {
        var store = await CreateStoreAsync();
        var binding = Binding(Alice, "sip:alice@192.0.2.10:5062");

        await store.ApplyAsync(Alice, [], [binding]);

        Assert.Null(Assert.Single(await store.GetBindingsAsync(Alice, Now)).UserAgent);
    }

    [StoreFact]
    public async Task ApplyAsync_LargestCSeq_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var binding = Binding(Alice, "sip:alice@192.0.2.10:5062") with { CSeq = uint.MaxValue };

        await store.ApplyAsync(Alice, [], [binding]);

        Assert.Equal(uint.MaxValue, Assert.Single(await store.GetBindingsAsync(Alice, Now)).CSeq);
    }

    [StoreFact]
    public async Task ApplyAsync_SameAorAndContact_ReplacesTheBinding()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(Alice, [], [Binding(Alice, "sip:alice@192.0.2.10:5062", expiresIn: 3600) with { UserAgent = "Phone/1.0" }]);
        var refreshed = new Binding(Alice, "sip:alice@192.0.2.10:5062", 500, Now.AddSeconds(600), "call-2", 7, "tcp:198.51.100.7:40000", Now.AddSeconds(1));

        await store.ApplyAsync(Alice, [], [refreshed]);

        Assert.Equal([refreshed], await store.GetBindingsAsync(Alice, Now));
    }

    [StoreFact]
    public async Task ApplyAsync_SeveralContacts_BindsEachToTheAor()
    {
        var store = await CreateStoreAsync();
        Binding[] bindings = [Binding(Alice, "sip:alice@192.0.2.10:5062", q: 1000), Binding(Alice, "sip:alice@192.0.2.11:5062", q: 500), Binding(Alice, "sip:alice@192.0.2.12:5062", q: 0)];

        await store.ApplyAsync(Alice, [], bindings);

        Assert.Equal(bindings.OrderBy(b => b.Contact, StringComparer.Ordinal), Sorted(await store.GetBindingsAsync(Alice, Now)));
    }

    [StoreFact]
    public async Task ApplyAsync_RemoveContacts_RemovesOnlyThose()
    {
        var store = await CreateStoreAsync();
        var keep = Binding(Alice, "sip:alice@192.0.2.11:5062");
        await store.ApplyAsync(Alice, [], [Binding(Alice, "sip:alice@192.0.2.10:5062"), keep, Binding(Alice, "sip:alice@192.0.2.12:5062")]);

        await store.ApplyAsync(Alice, ["sip:alice@192.0.2.10:5062", "sip:alice@192.0.2.12:5062"], []);

        Assert.Equal([keep], await store.GetBindingsAsync(Alice, Now));
    }

    [StoreFact]
    public async Task ApplyAsync_RemoveUnknownContact_ChangesNothing()
    {
        var store = await CreateStoreAsync();
        var binding = Binding(Alice, "sip:alice@192.0.2.10:5062");
        await store.ApplyAsync(Alice, [], [binding]);

        await store.ApplyAsync(Alice, ["sip:alice@203.0.113.1"], []);

        Assert.Equal([binding], await store.GetBindingsAsync(Alice, Now));
    }

    [StoreFact]
    public async Task ApplyAsync_ContactBothRemovedAndUpserted_KeepsTheUpsert()
    {
        // Removals run first, then upserts, so a wildcard-style "remove all, add this one" works in one call.
        var store = await CreateStoreAsync();
        await store.ApplyAsync(Alice, [], [Binding(Alice, "sip:alice@192.0.2.10:5062")]);
        var readded = Binding(Alice, "sip:alice@192.0.2.10:5062", expiresIn: 120) with { CallId = "call-2" };

        await store.ApplyAsync(Alice, ["sip:alice@192.0.2.10:5062"], [readded]);

        Assert.Equal([readded], await store.GetBindingsAsync(Alice, Now));
    }

    [StoreFact]
    public async Task ApplyAsync_SameContactOnTwoAors_KeepsThemApart()
    {
        var store = await CreateStoreAsync();
        var forAlice = Binding(Alice, "sip:shared@192.0.2.10:5062");
        var forBob = Binding(Bob, "sip:shared@192.0.2.10:5062");
        await store.ApplyAsync(Alice, [], [forAlice]);
        await store.ApplyAsync(Bob, [], [forBob]);

        await store.ApplyAsync(Alice, ["sip:shared@192.0.2.10:5062"], []);

        Assert.Empty(await store.GetBindingsAsync(Alice, Now));
        Assert.Equal([forBob], await store.GetBindingsAsync(Bob, Now));
    }

    [StoreFact]
    public async Task ApplyAsync_BindingOfAnotherAor_ThrowsAndWritesNothing()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.ApplyAsync(Alice, [], [Binding(Alice, "sip:alice@192.0.2.10:5062"), Binding(Bob, "sip:bob@192.0.2.20:5062")]));

        Assert.Equal(0, await store.CountAsync(Now));
    }

    [StoreFact]
    public async Task ApplyAsync_SecondUpsertFails_LeavesTheStoreAsBefore()
    {
        var store = await CreateStoreAsync();
        var existing = Binding(Alice, "sip:alice@192.0.2.10:5062");
        await store.ApplyAsync(Alice, [], [existing]);
        var broken = Binding(Alice, "sip:alice@192.0.2.12:5062") with { CallId = null! };

        await Assert.ThrowsAnyAsync<Exception>(() =>
            store.ApplyAsync(Alice, [existing.Contact], [Binding(Alice, "sip:alice@192.0.2.11:5062"), broken]));

        Assert.Equal([existing], await store.GetBindingsAsync(Alice, Now));
    }

    [StoreFact]
    public async Task ApplyAsync_ConcurrentWritersOnOneAor_ReadersNeverSeeHalfAWrite()
    {
        // Every writer replaces contacts a and b together and adds one of its own; a reader must always find a and b
        // written by the same writer, and at the end every writer's own contact must be there.
        var store = await CreateStoreAsync();
        const string A = "sip:alice@192.0.2.1:5062";
        const string B = "sip:alice@192.0.2.2:5062";
        await store.ApplyAsync(Alice, [], [Binding(Alice, A) with { CallId = "seed" }, Binding(Alice, B) with { CallId = "seed" }]);

        var writers = Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => store.ApplyAsync(
            Alice,
            [A, B],
            [Binding(Alice, A) with { CallId = $"writer-{i}" }, Binding(Alice, B) with { CallId = $"writer-{i}" }, Binding(Alice, $"sip:alice@198.51.100.{i}:5062")]))));
        // Readers on threads of their own: with a synchronous backend a reading loop never yields, and on a small
        // thread pool it would hold up the writers it is meant to overlap.
        var reads = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(
            async () =>
            {
                var count = 0;
                do
                {
                    AssertPairWrittenTogether(await store.GetBindingsAsync(Alice, Now), A, B);
                    count++;
                }
                while (!writers.IsCompleted);

                return count;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap()));
        await writers;

        Assert.All(reads, count => Assert.True(count > 0));
        var final = await store.GetBindingsAsync(Alice, Now);
        AssertPairWrittenTogether(final, A, B);
        Assert.NotEqual("seed", final.Single(b => b.Contact == A).CallId);
        Assert.Equal(22, final.Count);
    }

    [StoreFact]
    public async Task GetBindingsAsync_ExpiryAtOrBeforeNow_HidesTheBinding()
    {
        var store = await CreateStoreAsync();
        var live = Binding(Alice, "sip:alice@192.0.2.10:5062") with { ExpiresAt = Now.AddMilliseconds(1) };
        await store.ApplyAsync(Alice, [], [
            live,
            Binding(Alice, "sip:alice@192.0.2.11:5062") with { ExpiresAt = Now },
            Binding(Alice, "sip:alice@192.0.2.12:5062") with { ExpiresAt = Now.AddSeconds(-30) },
        ]);

        Assert.Equal([live], await store.GetBindingsAsync(Alice, Now));
        Assert.Empty(await store.GetBindingsAsync(Alice, Now.AddMilliseconds(1)));
        Assert.Equal(3, (await store.GetBindingsAsync(Alice, Now.AddSeconds(-31))).Count);
    }

    [StoreFact]
    public async Task ListAsync_SeveralAors_ReturnsTheLiveBindingsOfAll()
    {
        var store = await CreateStoreAsync();
        var alice1 = Binding(Alice, "sip:alice@192.0.2.10:5062");
        var alice2 = Binding(Alice, "sip:alice@192.0.2.11:5062");
        var bob = Binding(Bob, "sip:bob@192.0.2.20:5062");
        await store.ApplyAsync(Alice, [], [alice1, alice2, Binding(Alice, "sip:alice@192.0.2.12:5062", expiresIn: -1)]);
        await store.ApplyAsync(Bob, [], [bob]);

        var listed = await store.ListAsync(Now);

        Assert.Equal(new[] { alice1, alice2, bob }.OrderBy(b => b.Aor, StringComparer.Ordinal).ThenBy(b => b.Contact, StringComparer.Ordinal), Sorted(listed));
    }

    [StoreFact]
    public async Task RemoveExpiredAsync_MixedBindings_DeletesExactlyTheExpiredAndCountsThem()
    {
        var store = await CreateStoreAsync();
        var live = Binding(Alice, "sip:alice@192.0.2.10:5062", expiresIn: 60);
        var liveBob = Binding(Bob, "sip:bob@192.0.2.20:5062", expiresIn: 1);
        await store.ApplyAsync(Alice, [], [live, Binding(Alice, "sip:alice@192.0.2.11:5062", expiresIn: 0), Binding(Alice, "sip:alice@192.0.2.12:5062", expiresIn: -60)]);
        await store.ApplyAsync(Bob, [], [liveBob, Binding(Bob, "sip:bob@192.0.2.21:5062", expiresIn: -1)]);

        Assert.Equal(3, await store.RemoveExpiredAsync(Now));

        // Read as of an earlier time, when all five were live: only the two survivors are left in the store.
        Assert.Equal(new[] { live, liveBob }.OrderBy(b => b.Aor, StringComparer.Ordinal), Sorted(await store.ListAsync(Now.AddHours(-1))));
    }

    [StoreFact]
    public async Task RemoveExpiredAsync_NothingExpired_ReturnsZero()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(Alice, [], [Binding(Alice, "sip:alice@192.0.2.10:5062")]);

        Assert.Equal(0, await store.RemoveExpiredAsync(Now));
        Assert.Equal(1, await store.CountAsync(Now));
    }

    [StoreFact]
    public async Task CountAsync_MixedBindings_CountsTheLiveOnes()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(Alice, [], [Binding(Alice, "sip:alice@192.0.2.10:5062", expiresIn: 60), Binding(Alice, "sip:alice@192.0.2.11:5062", expiresIn: -60)]);
        await store.ApplyAsync(Bob, [], [Binding(Bob, "sip:bob@192.0.2.20:5062", expiresIn: 120)]);

        Assert.Equal(2, await store.CountAsync(Now));
        Assert.Equal(1, await store.CountAsync(Now.AddSeconds(60)));
        Assert.Equal(0, await store.CountAsync(Now.AddSeconds(120)));
    }

    [StoreFact]
    public async Task RemoveAllAsync_Aor_RemovesItsBindingsOnlyAndCountsThem()
    {
        var store = await CreateStoreAsync();
        var bob = Binding(Bob, "sip:bob@192.0.2.20:5062");
        await store.ApplyAsync(Alice, [], [Binding(Alice, "sip:alice@192.0.2.10:5062"), Binding(Alice, "sip:alice@192.0.2.11:5062")]);
        await store.ApplyAsync(Bob, [], [bob]);

        Assert.Equal(2, await store.RemoveAllAsync(Alice));

        Assert.Empty(await store.GetBindingsAsync(Alice, Now));
        Assert.Equal([bob], await store.ListAsync(Now));
    }

    [StoreFact]
    public async Task RemoveAllAsync_UnknownAor_ReturnsZero()
    {
        var store = await CreateStoreAsync();

        Assert.Equal(0, await store.RemoveAllAsync(Alice));
    }

    [StoreFact]
    public async Task ReopenedStore_AfterWrites_SeesTheSameBindings()
    {
        var store = await CreateStoreAsync();
        var first = Binding(Alice, "sip:alice@192.0.2.10:5062", expiresIn: 3600) with { UserAgent = "Phone/1.0" };
        var second = Binding(Alice, "sip:alice@192.0.2.11:5062", q: 300, expiresIn: 90) with { CSeq = 42 };
        await store.ApplyAsync(Alice, [], [first, second]);

        var reopened = await ReopenStoreAsync();

        var read = Sorted(await reopened.GetBindingsAsync(Alice, Now));
        Assert.Equal([first, second], read);
        Assert.Equal(Now.AddSeconds(3600), read[0].ExpiresAt);
    }

    private static Binding Binding(string aor, string contact, int q = 1000, int expiresIn = 3600) =>
        new(aor, contact, q, Now.AddSeconds(expiresIn), "call-1", 1, "udp:192.0.2.10:5062", Now);

    private static List<Binding> Sorted(IEnumerable<Binding> bindings) =>
        [.. bindings.OrderBy(b => b.Aor, StringComparer.Ordinal).ThenBy(b => b.Contact, StringComparer.Ordinal)];

    private static void AssertPairWrittenTogether(IReadOnlyList<Binding> bindings, string a, string b)
    {
        var first = Assert.Single(bindings, x => x.Contact == a);
        var second = Assert.Single(bindings, x => x.Contact == b);
        Assert.Equal(first.CallId, second.CallId);
    }
}
