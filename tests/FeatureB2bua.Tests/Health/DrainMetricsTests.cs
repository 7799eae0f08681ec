using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Observability;

namespace FeatureB2bua.Tests.Health;

/// <summary><c>b2bua_draining</c> and <c>b2bua_drain_calls_remaining</c> in <c>/metrics</c> before, during and at the end of a drain.</summary>
[Collection(MetricsCollection.Name)]
public sealed class DrainMetricsTests
{
    [Fact]
    public async Task DrainGauges_FollowTheDrainAndTheCallsLeft()
    {
        await using var h = await CallHarness.StartAsync(new ManualTimeProvider());
        var (_, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        await h.SettleAsync();
        Assert.Equal((0, 0), await DrainGaugesAsync(h));

        await HealthHttp.DrainAsync(h.Server.Http);
        Assert.Equal((1, 1), await DrainGaugesAsync(h));

        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        await h.AssertEndedAsync("answered");
        Assert.Equal((1, 0), await DrainGaugesAsync(h));
    }

    private static async Task<(double Draining, double Remaining)> DrainGaugesAsync(CallHarness h)
    {
        var exposition = PrometheusExposition.Parse(await h.Server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.Equal("gauge", exposition.Families["b2bua_draining"].Type);
        Assert.Equal("gauge", exposition.Families["b2bua_drain_calls_remaining"].Type);
        return (exposition.Value("b2bua_draining")!.Value, exposition.Value("b2bua_drain_calls_remaining")!.Value);
    }
}
