namespace FeatureB2bua.Fuzzing.Tests.Mutation;

/// <summary>The shared corpus (RFC 4475 torture messages, RFC 3665 flows, RFC 3261 §24 examples) as the fuzzer's seed messages, in a fixed order so a seed picks the same one on every machine.</summary>
public sealed class FuzzCorpus
{
    private static readonly string[] Patterns = ["rfc4475/*.dat", "rfc3665/*.sip", "rfc3261/*.sip"];

    private FuzzCorpus(IReadOnlyList<(string Name, byte[] Bytes)> messages) => Messages = messages;

    public IReadOnlyList<(string Name, byte[] Bytes)> Messages { get; }

    public static FuzzCorpus Load()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Corpus");
        var messages = Patterns
            .SelectMany(pattern => Directory.GetFiles(Path.Combine(root, Path.GetDirectoryName(pattern)!), Path.GetFileName(pattern)))
            .Select(path => (Name: Path.GetRelativePath(root, path).Replace('\\', '/'), Bytes: File.ReadAllBytes(path)))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        if (messages.Count < 250)
        {
            throw new InvalidOperationException($"Only {messages.Count} corpus messages under {root}: is the corpus copied to the output?");
        }

        return new FuzzCorpus(messages);
    }
}
