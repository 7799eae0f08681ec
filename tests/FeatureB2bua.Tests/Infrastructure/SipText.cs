namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>Test messages are written as raw strings with LF; the wire wants CRLF.</summary>
public static class SipText
{
    public static string Normalize(string text) => text.ReplaceLineEndings("\r\n");

    public static string Request(string method, string requestUri = "sip:bob@example.test", string branch = "z9hG4bKt1", string callId = "c1@test", int cseq = 1, string extraHeaders = "", int maxForwards = 70, string via = "127.0.0.1:5999") =>
        $"{method} {requestUri} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {via};branch={branch};rport\n" +
        $"Max-Forwards: {maxForwards}\n" +
        "From: <sip:alice@example.test>;tag=a1\n" +
        "To: <sip:bob@example.test>\n" +
        $"Call-ID: {callId}\n" +
        $"CSeq: {cseq} {method}\n" +
        extraHeaders +
        "Content-Length: 0\n\n";
}
