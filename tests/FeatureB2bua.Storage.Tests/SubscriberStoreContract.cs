using FeatureB2bua.Core.Subscribers;

namespace FeatureB2bua.Storage.Tests;

/// <summary>
/// What every <see cref="ISubscriberStore"/> must do, written once against the interface. A backend derives from
/// this class and says how to get a store over an empty database and how to reopen that database.
/// </summary>
public abstract class SubscriberStoreContract
{
    private static readonly SubscriberFeatures AllFeaturesSet = new()
    {
        ForwardUnconditional = "sip:voicemail@example.test",
        ForwardBusy = "sip:carol@example.test",
        ForwardNoAnswer = "sip:dave@example.test",
        NoAnswerTimeoutSeconds = 6,
        MusicOnHold = false,
    };

    /// <summary>A new store over a new, empty database.</summary>
    protected abstract Task<ISubscriberStore> CreateStoreAsync();

    /// <summary>A new store object over the database of the last <see cref="CreateStoreAsync"/>, as after a restart.</summary>
    protected abstract Task<ISubscriberStore> ReopenStoreAsync();

    [StoreFact]
    public async Task GetAsync_MissingUser_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync("nobody"));
    }

    [StoreFact]
    public async Task UpsertAsync_NewSubscriber_GetReturnsEveryField()
    {
        var store = await CreateStoreAsync();
        var alice = Alice() with { MayRegister = ["bob", "carol"], Features = AllFeaturesSet };

        await store.UpsertAsync(alice);

        AssertSame(alice, await store.GetAsync("alice"));
    }

    [StoreFact]
    public async Task UpsertAsync_DefaultFeaturesAndNoMayRegister_RoundTrip()
    {
        var store = await CreateStoreAsync();

        await store.UpsertAsync(Alice());

        var stored = await store.GetAsync("alice");
        Assert.NotNull(stored);
        Assert.Equal(new SubscriberFeatures(), stored.Features);
        Assert.Empty(stored.MayRegister);
    }

    [StoreFact]
    public async Task UpsertAsync_ExistingUser_ReplacesEveryField()
    {
        var store = await CreateStoreAsync();
        await store.UpsertAsync(Alice() with { MayRegister = ["bob"] });
        var replaced = new Subscriber("alice", "11112222333344445555666677778888", new string('b', 64))
        {
            MayRegister = ["carol"],
            Features = AllFeaturesSet,
        };

        await store.UpsertAsync(replaced);

        AssertSame(replaced, await store.GetAsync("alice"));
        Assert.Single(await store.ListAsync());
    }

    [StoreFact]
    public async Task ListAsync_EmptyStore_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();

        Assert.Empty(await store.ListAsync());
    }

    [StoreFact]
    public async Task ListAsync_SeveralSubscribers_ReturnsEachOnce()
    {
        var store = await CreateStoreAsync();
        await store.UpsertAsync(Alice());
        await store.UpsertAsync(Subscriber("bob") with { Features = AllFeaturesSet });
        await store.UpsertAsync(Subscriber("carol") with { MayRegister = ["alice"] });

        var listed = (await store.ListAsync()).OrderBy(s => s.User, StringComparer.Ordinal).ToList();

        Assert.Equal(["alice", "bob", "carol"], listed.Select(s => s.User));
        Assert.Equal(AllFeaturesSet, listed[1].Features);
        Assert.Equal(["alice"], listed[2].MayRegister);
    }

    [StoreFact]
    public async Task RemoveAsync_ExistingUser_ReturnsTrueAndGetReturnsNull()
    {
        var store = await CreateStoreAsync();
        await store.UpsertAsync(Alice());
        await store.UpsertAsync(Subscriber("bob"));

        Assert.True(await store.RemoveAsync("alice"));

        Assert.Null(await store.GetAsync("alice"));
        Assert.NotNull(await store.GetAsync("bob"));
    }

    [StoreFact]
    public async Task RemoveAsync_MissingUser_ReturnsFalse()
    {
        var store = await CreateStoreAsync();
        await store.UpsertAsync(Alice());

        Assert.False(await store.RemoveAsync("nobody"));
        Assert.Single(await store.ListAsync());
    }

    [StoreFact]
    public async Task GetAsync_UserDiffersInCase_ReturnsNull()
    {
        // The user part of a SIP URI compares case-sensitively (RFC 3261 §19.1.4), so "Alice" is someone else.
        var store = await CreateStoreAsync();
        await store.UpsertAsync(Alice());

        Assert.Null(await store.GetAsync("Alice"));
    }

    [StoreFact]
    public async Task UpsertAsync_ConcurrentCallsForDifferentUsers_StoresAll()
    {
        var store = await CreateStoreAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => store.UpsertAsync(Subscriber($"user{i}")))));

        Assert.Equal(20, (await store.ListAsync()).Count);
    }

    [StoreFact]
    public async Task ReopenedStore_AfterUpsert_SeesTheSubscriber()
    {
        var store = await CreateStoreAsync();
        var alice = Alice() with { MayRegister = ["bob"], Features = AllFeaturesSet };
        await store.UpsertAsync(alice);

        var reopened = await ReopenStoreAsync();

        AssertSame(alice, await reopened.GetAsync("alice"));
    }

    private static Subscriber Alice() => Subscriber("alice");

    private static Subscriber Subscriber(string user) =>
        new(user, "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    private static void AssertSame(Subscriber expected, Subscriber? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.User, actual.User);
        Assert.Equal(expected.Ha1Md5, actual.Ha1Md5);
        Assert.Equal(expected.Ha1Sha256, actual.Ha1Sha256);
        Assert.Equal(expected.MayRegister, actual.MayRegister);
        Assert.Equal(expected.Features, actual.Features);
    }
}
