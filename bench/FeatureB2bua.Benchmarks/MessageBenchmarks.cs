using System.Text;
using BenchmarkDotNet.Attributes;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Benchmarks;

/// <summary>Parse and serialize of a typical INVITE with SDP: the per-message cost of the stack's hot path.</summary>
[MemoryDiagnoser]
public class MessageBenchmarks
{
    private static readonly byte[] Invite = Encoding.ASCII.GetBytes(string.Join("\r\n",
        "INVITE sip:bob@biloxi.example.com SIP/2.0",
        "Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport",
        "Max-Forwards: 70",
        "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl",
        "To: Bob <sip:bob@biloxi.example.com>",
        "Call-ID: 3848276298220188511@atlanta.example.com",
        "CSeq: 1 INVITE",
        "Contact: <sip:alice@client.atlanta.example.com;transport=udp>",
        "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, INFO, UPDATE",
        "Supported: replaces, timer",
        "User-Agent: Bench/1.0",
        "Content-Type: application/sdp",
        "Content-Length: 151",
        string.Empty,
        "v=0",
        "o=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com",
        "s=-",
        "c=IN IP4 192.0.2.101",
        "t=0 0",
        "m=audio 49172 RTP/AVP 0",
        "a=rtpmap:0 PCMU/8000",
        string.Empty));

    private SipMessage _parsed = null!;
    private SipMessageWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _parsed = SipParser.Parse(Invite, out _)!;
        _writer = new SipMessageWriter(2048);
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    /// <summary>Framing and header index only: what every received message costs.</summary>
    [Benchmark(Baseline = true)]
    public SipMessage Parse() => SipParser.Parse(Invite, out _)!;

    /// <summary>Parse plus what validation and transaction matching read: Vias, From/To, CSeq, Call-ID.</summary>
    [Benchmark]
    public int ParseAndValidate()
    {
        var message = SipParser.Parse(Invite, out _)!;
        return SipMessageValidator.Validate(message).IsRejected ? 0 : message.TopVia!.Branch!.Length;
    }

    /// <summary>Canonical serialization into the pooled writer.</summary>
    [Benchmark]
    public int Serialize()
    {
        _writer.Reset();
        SipSerializer.Write(_parsed, _writer);
        return _writer.Length;
    }
}
