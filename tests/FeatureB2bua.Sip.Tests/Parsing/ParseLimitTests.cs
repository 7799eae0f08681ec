using System.Text;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Tests.Parsing;

/// <summary>The header and Via limits: met exactly is fine, one over is refused by name, and a refusal can still be answered.</summary>
public sealed class ParseLimitTests
{
    private static readonly ParseLimits Small = new(MaxHeaders: 10, MaxVias: 3);

    [Fact]
    public void HeadersAtTheLimit_AreAccepted()
    {
        var message = Parse(Request(vias: 1, fillers: 3), Small, out var rejection);

        Assert.False(rejection.IsRejected, rejection.ReasonPhrase);
        Assert.Equal(10, message.HeaderCount);
        Assert.Equal(SipRejection.None, SipMessageValidator.Validate(message));
    }

    [Fact]
    public void OneHeaderOverTheLimit_IsRefusedAsTooManyHeaders()
    {
        var message = Parse(Request(vias: 1, fillers: 4), Small, out var rejection);

        Assert.Equal(SipRejectReason.TooManyHeaders, rejection.Reason);
        Assert.Equal(400, rejection.StatusCode);
        Assert.Equal("Too Many Headers", rejection.ReasonPhrase);
        Assert.Equal(10, message.HeaderCount);
    }

    [Fact]
    public void HeadersOverTheLimit_KeepOnlyWhatTheAnswerNeeds()
    {
        // 600 fillers before the headers a response copies: they are counted and passed over, not indexed.
        var message = Parse(Request(vias: 1, fillers: 600, fillersFirst: true), Small, out var rejection);

        Assert.Equal(SipRejectReason.TooManyHeaders, rejection.Reason);
        Assert.True(message.HeaderCount <= Small.MaxHeaders + 5, $"{message.HeaderCount} headers indexed");
        var answer = ResponseBuilder.Create(message, 400, rejection.ReasonPhrase, "t1");
        Assert.Equal("limits-1", answer.CallId);
        Assert.Equal(1u, answer.CSeq!.Number);
        Assert.Equal("a1", answer.From!.Tag);
        Assert.Equal("z9hG4bK0", answer.TopVia!.Branch);
    }

    [Fact]
    public void ViasAtTheLimit_AreAccepted()
    {
        var message = Parse(Request(vias: 3, fillers: 0), Small, out var rejection);

        Assert.False(rejection.IsRejected, rejection.ReasonPhrase);
        Assert.Equal(3, message.Vias!.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OneViaOverTheLimit_IsRefusedAsTooManyVias_OnSeparateOrCombinedLines(bool combined)
    {
        var message = Parse(Request(vias: 4, fillers: 0, combinedVias: combined), Small, out var rejection);

        Assert.Equal(SipRejectReason.TooManyVias, rejection.Reason);
        Assert.Equal("Too Many Via Headers", rejection.ReasonPhrase);
        Assert.Equal("z9hG4bK0", message.TopVia!.Branch);
        Assert.Equal("limits-1", message.CallId);
    }

    [Fact]
    public void ViasOverTheLimit_AreNotIndexed()
    {
        var message = Parse(Request(vias: 200, fillers: 0), new ParseLimits(MaxHeaders: 256, MaxVias: 3), out var rejection);

        Assert.Equal(SipRejectReason.TooManyVias, rejection.Reason);
        Assert.Equal(3, message.Vias!.Count);
        Assert.Equal(3, ResponseBuilder.Create(message, 400, rejection.ReasonPhrase, "t1").Vias!.Count);
    }

    [Fact]
    public void CommaInsideAQuotedViaParameter_IsNotASecondVia()
    {
        var text = Request(vias: 3, fillers: 0).Replace(";branch=z9hG4bK2", ";branch=z9hG4bK2;x=\"a,b,c\"", StringComparison.Ordinal);

        Parse(text, Small, out var rejection);

        Assert.False(rejection.IsRejected, rejection.ReasonPhrase);
    }

    [Fact]
    public void DefaultLimits_Allow256HeadersAnd70Vias()
    {
        Parse(Request(vias: 70, fillers: 256 - 70 - 6), ParseLimits.Default, out var atLimit);
        Parse(Request(vias: 71, fillers: 0), ParseLimits.Default, out var overVias);
        Parse(Request(vias: 1, fillers: 256 - 6), ParseLimits.Default, out var overHeaders);

        Assert.False(atLimit.IsRejected, atLimit.ReasonPhrase);
        Assert.Equal(SipRejectReason.TooManyVias, overVias.Reason);
        Assert.Equal(SipRejectReason.TooManyHeaders, overHeaders.Reason);
    }

    private static SipMessage Parse(string text, ParseLimits limits, out SipRejection rejection) =>
        SipParser.Parse(Encoding.ASCII.GetBytes(text), limits, out rejection) ?? throw new InvalidOperationException("Not cut at all.");

    /// <summary>A request of <paramref name="vias"/> Vias, five more headers, Content-Length, and <paramref name="fillers"/> X- headers.</summary>
    private static string Request(int vias, int fillers, bool combinedVias = false, bool fillersFirst = false)
    {
        var text = new StringBuilder("OPTIONS sip:bob@example.test SIP/2.0\r\n");
        var filler = string.Concat(Enumerable.Range(0, fillers).Select(i => $"X-Filler-{i}: {i}\r\n"));
        var viaValues = Enumerable.Range(0, vias).Select(i => $"SIP/2.0/UDP 192.0.2.{i % 250}:5060;branch=z9hG4bK{i}").ToList();
        text.Append(combinedVias ? $"Via: {string.Join(", ", viaValues)}\r\n" : string.Concat(viaValues.Select(v => $"Via: {v}\r\n")));
        if (fillersFirst)
        {
            text.Append(filler);
        }

        text.Append("Max-Forwards: 70\r\nFrom: <sip:alice@example.test>;tag=a1\r\nTo: <sip:bob@example.test>\r\nCall-ID: limits-1\r\nCSeq: 1 OPTIONS\r\n");
        if (!fillersFirst)
        {
            text.Append(filler);
        }

        return text.Append("Content-Length: 0\r\n\r\n").ToString();
    }
}
