using System.Diagnostics;
using FeatureB2bua.Fuzzing.Tests.Mutation;
using Xunit.Abstractions;

namespace FeatureB2bua.Fuzzing.Tests;

/// <summary>Mutated corpus messages through everything the server reads of a message, in-process, for a bounded time.</summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    // What the parser may keep after the run: shared array pools and the JIT's own data, nothing per message.
    private const long HeapMarginBytes = 8 * 1024 * 1024;

    [Fact]
    public void MutatedCorpus_NoExceptionEscapes_AndTheHeapReturnsToWhereItStarted()
    {
        var corpus = FuzzCorpus.Load();

        // A first pass over the unmutated corpus loads and JITs everything before the heap is measured.
        foreach (var (_, bytes) in corpus.Messages)
        {
            ParserExercise.Run(bytes);
        }

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var cases = 0;
        var failures = new List<string>();
        while (clock.Elapsed < FuzzSettings.ParserBudget && failures.Count < 5)
        {
            var fuzzCase = FuzzCase.Create(corpus, FuzzSettings.FirstSeed + cases++);
            try
            {
                ParserExercise.Run(fuzzCase.Bytes);
            }
            catch (Exception ex)
            {
                failures.Add($"{ex.GetType().Name}: {ex.Message}\n  at {ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}\n  {fuzzCase}");
            }
        }

        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{cases} cases from seed {FuzzSettings.FirstSeed} in {clock.Elapsed.TotalSeconds:F1} s; managed heap {heapBefore / 1024} KiB before, {heapAfter / 1024} KiB after");
        Assert.True(failures.Count == 0, $"{failures.Count} cases threw (replay with FUZZ_SEED, or add the base64 to KnownBadInputs):\n" + string.Join('\n', failures));
        Assert.True(heapAfter - heapBefore < HeapMarginBytes, $"managed heap grew from {heapBefore} to {heapAfter} bytes over {cases} cases");
        Assert.True(cases > 1000, $"only {cases} cases ran: the budget is too short to mean anything");
    }
}
