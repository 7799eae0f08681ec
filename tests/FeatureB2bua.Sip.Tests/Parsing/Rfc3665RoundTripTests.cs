using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Tests.Parsing;

/// <summary>RFC 3665 and RFC 3261 §24 messages parse cleanly and serialize back byte for byte.</summary>
public sealed class Rfc3665RoundTripTests
{
    public static TheoryData<string, string> Messages()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in new[] { "rfc3665", "rfc3261" })
        {
            foreach (var row in Corpus.Manifest(folder))
            {
                data.Add(folder, row[0]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Serialize_ParsedFlowMessage_RoundTripsByteForByte(string folder, string file)
    {
        var bytes = Corpus.Read(folder, file);
        var (message, verdict) = Corpus.Judge(bytes);
        Assert.False(verdict.IsRejected, verdict.ReasonPhrase);

        using var writer = new SipMessageWriter();
        SipSerializer.Write(message!, writer);

        Assert.Equal(bytes, writer.ToArray());
    }
}
