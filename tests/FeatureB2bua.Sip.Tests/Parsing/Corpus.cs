using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Tests.Parsing;

/// <summary>The shared test corpus, copied beside the tests as raw bytes.</summary>
internal static class Corpus
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Corpus");

    public static byte[] Read(string folder, string file) => File.ReadAllBytes(Path.Combine(Root, folder, file));

    public static IEnumerable<string[]> Manifest(string folder) =>
        File.ReadAllLines(Path.Combine(Root, folder, "MANIFEST.tsv")).Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'));

    /// <summary>What the server decides about a message before any method-level handling.</summary>
    public static (SipMessage? Message, SipRejection Verdict) Judge(byte[] bytes)
    {
        var message = SipParser.Parse(bytes, out var rejection);
        if (message is null || rejection.IsRejected)
        {
            return (message, rejection);
        }

        return (message, SipMessageValidator.Validate(message));
    }
}
