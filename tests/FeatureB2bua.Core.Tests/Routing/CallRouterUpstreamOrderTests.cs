using System.Text;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Routing;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Core.Tests.Routing;

/// <summary>The router puts usable upstreams first, never refuses a call because every upstream looks down, and builds each upstream's Request-URI.</summary>
public sealed class CallRouterUpstreamOrderTests
{
    private const string A = "sip:127.0.0.1:5071";
    private const string B = "sip:127.0.0.1:5072";
    private const string C = "sip:127.0.0.1:5073;transport=tcp";
    private const string CatchAll = "sip:127.0.0.1:5074";
    private readonly ManualTimeProvider _clock = new();
    private readonly UpstreamHealth _health;
    private readonly CallRouter _router;

    public CallRouterUpstreamOrderTests()
    {
        var options = new RoutingOptions
        {
            Routes = [new RouteOptions { Pattern = "^9", Targets = [A, B, " " + C] }, new RouteOptions { Pattern = ".*", Targets = [CatchAll] }],
            Probe = new UpstreamProbeOptions { FailuresToDown = 1 },
        };
        _health = new UpstreamHealth(options, _clock);
        _router = new CallRouter(new NoBindings(), options, new LocalDomain("example.test", []), _clock, _health);
    }

    [Fact]
    public async Task AllUsable_ConfiguredOrder_EachTargetNamingItsUpstream()
    {
        var targets = (await _router.RouteAsync(Invite())).Targets;

        Assert.Equal([A, B, C], targets.Select(t => t.Upstream));
        Assert.Equal("sip:9123@127.0.0.1:5072", targets[1].RequestUri.Raw);
        Assert.Same(_health, _router.Health);
    }

    [Fact]
    public async Task DownAndOpenUpstreams_GoLast_InConfiguredOrder()
    {
        _health.ProbeUnanswered(A, "timeout");
        for (var i = 0; i < 5; i++)
        {
            _health.Report(B, 503);
        }

        var targets = (await _router.RouteAsync(Invite())).Targets;

        Assert.Equal([C, A, B], targets.Select(t => t.Upstream));
    }

    [Fact]
    public async Task NoneUsable_AllStillTried_InConfiguredOrder()
    {
        foreach (var upstream in new[] { A, B, C })
        {
            _health.ProbeAnswered(upstream, 503, "Service Unavailable");
        }

        var decision = await _router.RouteAsync(Invite());

        Assert.Equal([A, B, C], decision.Targets.Select(t => t.Upstream));
    }

    [Fact]
    public async Task AnUpstreamBackUp_ReturnsToItsPlace()
    {
        _health.ProbeUnanswered(A, "timeout");
        _health.ProbeAnswered(A, 200, "OK");

        var targets = (await _router.RouteAsync(Invite())).Targets;

        Assert.Equal([A, B, C], targets.Select(t => t.Upstream));
    }

    /// <summary>Found by the fuzzer: a Request-URI without a user (RFC 3261 §19.1.1) made "sip:@host", which threw, and the call got a 500.</summary>
    [Fact]
    public async Task NoUserPart_CatchAllRoute_GoesUpstreamWithoutAUser()
    {
        var decision = await _router.RouteAsync(SipUri.Parse("sip:example.org"), Invite());

        Assert.Equal(CatchAll, Assert.Single(decision.Targets).RequestUri.Raw);
    }

    private static SipMessage Invite() => SipParser.Parse(Encoding.ASCII.GetBytes(
        "INVITE sip:9123@example.org SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKrouter\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: <sip:alice@example.test>;tag=a\r\n" +
        "To: <sip:9123@example.org>\r\n" +
        "Call-ID: router-test\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Content-Length: 0\r\n\r\n"), out _)!;

    private sealed class NoBindings : ILocationStore
    {
        public Task<IReadOnlyList<Binding>> GetBindingsAsync(string aor, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Binding>>([]);

        public Task<IReadOnlyList<Binding>> ListAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Binding>>([]);

        public Task ApplyAsync(string aor, IReadOnlyCollection<string> removeContacts, IReadOnlyCollection<Binding> upserts, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;

        public Task<int> RemoveAllAsync(string aor, CancellationToken cancellationToken = default) => Task.FromResult(0);

        public Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(0);

        public Task<int> CountAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(0);
    }
}
