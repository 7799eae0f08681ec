using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Tests.Authentication;

public sealed class NonceServiceTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void Issue_SameMillisecond_GivesDistinctNonces()
    {
        var nonces = new NonceService("k", "example.test", TimeSpan.FromMinutes(5), _clock);

        var issued = Enumerable.Range(0, 1000).Select(_ => nonces.Issue()).ToHashSet();

        Assert.Equal(1000, issued.Count);
        Assert.All(issued, n => Assert.Equal(NonceStatus.Valid, nonces.Check(n)));
    }

    [Fact]
    public void Check_AfterLifetime_IsStale()
    {
        var nonces = new NonceService("k", "example.test", TimeSpan.FromMinutes(5), _clock);
        var nonce = nonces.Issue();

        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        Assert.Equal(NonceStatus.Stale, nonces.Check(nonce));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-base64!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Check_Garbage_IsInvalid(string nonce) =>
        Assert.Equal(NonceStatus.Invalid, new NonceService("k", "example.test", TimeSpan.FromMinutes(5), _clock).Check(nonce));

    [Fact]
    public void Check_OtherKeyOrRealm_IsInvalid()
    {
        var nonce = new NonceService("k", "example.test", TimeSpan.FromMinutes(5), _clock).Issue();

        Assert.Equal(NonceStatus.Invalid, new NonceService("other", "example.test", TimeSpan.FromMinutes(5), _clock).Check(nonce));
        Assert.Equal(NonceStatus.Invalid, new NonceService("k", "other.test", TimeSpan.FromMinutes(5), _clock).Check(nonce));
    }
}
