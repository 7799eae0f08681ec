using System.Text;

namespace FeatureB2bua.Sip.Tests.Transport;

/// <summary>Small SIP messages for transport tests; the transport never parses them beyond Content-Length.</summary>
internal static class SipText
{
    public static byte[] Request(string callId, string body = "") =>
        Bytes(
            $"OPTIONS sip:b2bua@example.com SIP/2.0\r\n" +
            $"Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK{callId}\r\n" +
            $"Call-ID: {callId}\r\n" +
            "CSeq: 1 OPTIONS\r\n" +
            $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n{body}");

    public static byte[] Response(string callId) =>
        Bytes($"SIP/2.0 200 OK\r\nCall-ID: {callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");

    public static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);
}
