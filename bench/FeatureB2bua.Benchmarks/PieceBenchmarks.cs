using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Benchmarks;

/// <summary>Pieces of one call's work, to see which of them the allocations of <see cref="CallBenchmarks"/> come from.</summary>
[MemoryDiagnoser]
public class PieceBenchmarks
{
    private static readonly byte[] Invite = Encoding.ASCII.GetBytes(
        "INVITE sip:service@127.0.0.1:5080 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-1-1-0\r\n" +
        "From: \"sipp\" <sip:sipp@127.0.0.1:5090>;tag=1SIPpTag001\r\n" +
        "To: <sip:service@127.0.0.1:5080>\r\n" +
        "Call-ID: 1-1@127.0.0.1\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: <sip:sipp@127.0.0.1:5090>\r\n" +
        "Max-Forwards: 70\r\n" +
        "Subject: Performance Test\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 129\r\n\r\n" +
        "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");

    private SipMessage _invite = null!;

    [GlobalSetup]
    public void Setup()
    {
        _invite = SipParser.Parse(Invite, out _)!;
        _invite.Source = new MessageSource(TransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5090), new IPEndPoint(IPAddress.Loopback, 5072), null);
        SipMessageValidator.Validate(_invite);
    }

    /// <summary>What every received INVITE costs before the transaction layer.</summary>
    [Benchmark]
    public object ParseAndValidate()
    {
        var message = SipParser.Parse(Invite, out _)!;
        return SipMessageValidator.Validate(message);
    }

    /// <summary>The 100 Trying of every INVITE: built, then parsed back (ToMessage).</summary>
    [Benchmark]
    public SipMessage Trying() => ResponseBuilder.Create(_invite, 100, "Trying");

    /// <summary>The call's state machine, configured afresh for every call.</summary>
    [Benchmark]
    public object StateMachine() => CallStateMachine.Create();
}
