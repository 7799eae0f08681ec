namespace FeatureB2bua.Fuzzing.Tests.Mutation;

/// <summary>One mutated message, made from nothing but its seed: <see cref="Create"/> with the same seed gives the same bytes again.</summary>
public sealed record FuzzCase(int Seed, string Source, string Strategies, byte[] Bytes)
{
    /// <summary>
    /// Twice the largest message the server takes over TCP, and far past a datagram. Stacked strategies (a 60 000-byte
    /// token in a Via repeated 400 times) reach megabytes, and the string work that builds them leaves arrays that
    /// large in the shared pools, which the heap check would then blame on the parser.
    /// </summary>
    public const int MaxBytes = 128 * 1024;

    private static readonly MutationStrategy[] All = Enum.GetValues<MutationStrategy>();

    public static FuzzCase Create(FuzzCorpus corpus, int seed)
    {
        var random = new Random(seed);
        var (name, bytes) = corpus.Messages[random.Next(corpus.Messages.Count)];
        var applied = new List<MutationStrategy>();

        // Mostly one strategy; sometimes two stacked, as when a truncated message also had a header doubled.
        for (var i = random.Next(4) == 0 ? 2 : 1; i > 0; i--)
        {
            var strategy = All[random.Next(All.Length)];
            bytes = MessageMutator.Apply(strategy, bytes, random);
            bytes = bytes.Length > MaxBytes ? bytes[..MaxBytes] : bytes;
            applied.Add(strategy);
        }

        return new FuzzCase(seed, name, string.Join('+', applied), bytes);
    }

    /// <summary>What a failure report needs to replay the case: the seed, and the bytes for the regression list.</summary>
    public override string ToString() => $"seed {Seed} ({Strategies} of {Source}), {Bytes.Length} bytes, base64: {Convert.ToBase64String(Bytes)}";
}
