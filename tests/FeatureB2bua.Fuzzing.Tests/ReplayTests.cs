using FeatureB2bua.Fuzzing.Tests.Mutation;

namespace FeatureB2bua.Fuzzing.Tests;

/// <summary>The regression list: every input a fuzzer once broke something with goes through the full parser exercise again.</summary>
public sealed class ReplayTests
{
    [Theory]
    [MemberData(nameof(KnownBadInputs.All), MemberType = typeof(KnownBadInputs))]
    public void KnownBadInput_IsReadWithoutException(string what, string base64)
    {
        Assert.False(string.IsNullOrEmpty(what));
        ParserExercise.Run(Convert.FromBase64String(base64));
    }

    /// <summary>A failure report's seed rebuilds its bytes exactly; a seed is as good as the base64 for a replay.</summary>
    [Fact]
    public void FuzzCase_SameSeed_SameBytes()
    {
        var corpus = FuzzCorpus.Load();

        var first = FuzzCase.Create(corpus, 5697);
        var again = FuzzCase.Create(corpus, 5697);

        Assert.Equal(first.Bytes, again.Bytes);
        Assert.Equal(first.Strategies, again.Strategies);
        Assert.NotEqual(first.Bytes, FuzzCase.Create(corpus, 5698).Bytes);
    }
}
