using FeatureB2bua.Core.Tracing;

namespace FeatureB2bua.Core.Tests.Tracing;

public sealed class TraceRedactionTests
{
    private const string Head = "INVITE sip:bob@example.test SIP/2.0\r\nCall-ID: c1\r\n";

    [Theory]
    [InlineData("Authorization: Digest username=\"alice\", response=\"6629fae49393a05397450978507c4ef1\"", "Authorization: [redacted]")]
    [InlineData("Proxy-Authorization: Digest username=\"alice\", nonce=\"n\", response=\"abc\"", "Proxy-Authorization: [redacted]")]
    [InlineData("authorization:Digest response=\"abc\"", "authorization: [redacted]")]
    [InlineData("PROXY-AUTHORIZATION \t:\tDigest response=\"abc\"", "PROXY-AUTHORIZATION \t: [redacted]")]
    public void TheValueGoes_WhateverTheCaseAndSpacing(string header, string expected)
    {
        var redacted = TraceRedaction.Redact(Head + header + "\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(Head + expected + "\r\nContent-Length: 0\r\n\r\n", redacted);
        Assert.DoesNotContain("response", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void AFoldedValue_GoesWithAllItsLines()
    {
        var redacted = TraceRedaction.Redact(Head + "Proxy-Authorization: Digest username=\"alice\",\r\n  nonce=\"n\",\r\n\tresponse=\"abc\"\r\nMax-Forwards: 70\r\n\r\n");

        Assert.Equal(Head + "Proxy-Authorization: [redacted]\r\nMax-Forwards: 70\r\n\r\n", redacted);
    }

    [Fact]
    public void EveryCredentialsHeaderGoes_BareLineFeedsToo()
    {
        var redacted = TraceRedaction.Redact("REGISTER sip:example.test SIP/2.0\nAuthorization: Digest response=\"one\"\nAuthorization: Digest response=\"two\"\n\n");

        Assert.Equal("REGISTER sip:example.test SIP/2.0\nAuthorization: [redacted]\nAuthorization: [redacted]\n\n", redacted);
    }

    [Fact]
    public void ChallengesOtherHeadersAndTheBody_AreLeftAsTheyAre()
    {
        var message = "SIP/2.0 407 Proxy Authentication Required\r\n" +
            "Proxy-Authenticate: Digest realm=\"example.test\", nonce=\"n\"\r\n" +
            "X-Authorization-Note: kept\r\n" +
            "Subject: Authorization: in a value\r\n" +
            "Content-Length: 35\r\n\r\n" +
            "Authorization: not a header here\r\n";

        Assert.Equal(message, TraceRedaction.Redact(message));
    }
}
