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
    private static readonly byte[] Invite = CallBenchmarks.Invite("1-1@127.0.0.1", "z9hG4bK-1-1-0");

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
