using BenchmarkDotNet.Attributes;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Features;
using FeatureB2bua.Core.Routing;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Features.Busy;
using FeatureB2bua.Features.Cancel;
using FeatureB2bua.Features.ForwardBusy;
using FeatureB2bua.Features.ForwardNoAnswer;
using FeatureB2bua.Features.ForwardUnconditional;
using FeatureB2bua.Features.Hold;
using FeatureB2bua.Features.StarCodes;
using FeatureB2bua.Sip.Headers;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Benchmarks;

/// <summary>
/// What the seven feature modules cost a call at its decision points: a call to a subscriber without forwarding
/// passes every module (the common case), and one to a subscriber with unconditional forwarding is retargeted.
/// </summary>
[MemoryDiagnoser]
public class FeatureChainBenchmarks
{
    private CallFeatureChain _chain = null!;
    private FeatureContext _plain = null!;
    private FeatureContext _forwarded = null!;

    [GlobalSetup]
    public void Setup()
    {
        var domain = new LocalDomain("example.test", []);
        var options = new FeatureOptions { Enabled = ["star-codes", "forward-unconditional", "busy", "forward-busy", "forward-no-answer", "hold", "cancel"] };
        _chain = new CallFeatureChain(options,
        [
            new StarCodesFeature(new NoSubscribers(), domain),
            new ForwardUnconditionalFeature(domain, Options.Create(options)),
            new BusyFeature(new CallPresence()),
            new ForwardBusyFeature(domain),
            new ForwardNoAnswerFeature(domain),
            new HoldFeature(),
            new CancelFeature(),
        ]);
        var caller = SipUri.Parse("sip:alice@example.test");
        var bob = SipUri.Parse("sip:bob@example.test");
        _plain = new FeatureContext(caller, bob, bob, 0) { TargetSubscriber = new Subscriber("bob", "", "") };
        _forwarded = _plain with { TargetSubscriber = new Subscriber("bob", "", "") { Features = new SubscriberFeatures { ForwardUnconditional = "sip:carol@example.test" } } };
    }

    /// <summary>Every decision point a plain answered call passes: incoming, the no-answer time, and one hold.</summary>
    [Benchmark(Baseline = true)]
    public async Task<FeatureDecision> PlainCall()
    {
        var (decision, _) = await _chain.OnIncomingAsync(_plain);
        _ = _chain.NoAnswerTimeout(_plain);
        _ = _chain.OnHold(_plain, CallSide.A);
        return decision;
    }

    [Benchmark]
    public async Task<FeatureDecision> ForwardedUnconditionally() => (await _chain.OnIncomingAsync(_forwarded)).Decision;
}
