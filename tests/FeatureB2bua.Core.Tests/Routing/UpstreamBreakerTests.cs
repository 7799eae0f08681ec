using FeatureB2bua.Core.Routing;
using FeatureB2bua.Tests.Common;
using Polly.CircuitBreaker;

namespace FeatureB2bua.Core.Tests.Routing;

/// <summary>The circuit breaker rules of <see cref="UpstreamHealth"/> on a clock the test moves.</summary>
public sealed class UpstreamBreakerTests
{
    private const string Pbx = "sip:127.0.0.1:5070";
    private readonly ManualTimeProvider _clock = new();
    private readonly UpstreamHealth _health;

    public UpstreamBreakerTests()
    {
        var options = new RoutingOptions
        {
            Routes = [new RouteOptions { Pattern = "^9", Targets = [Pbx] }],
            CircuitBreaker = new UpstreamCircuitBreakerOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(10),
            },
        };
        _health = new UpstreamHealth(options, _clock);
    }

    [Theory]
    [InlineData(503, UpstreamOutcome.Failure)]
    [InlineData(408, UpstreamOutcome.Failure)]
    [InlineData(200, UpstreamOutcome.Success)]
    [InlineData(404, UpstreamOutcome.Success)]
    [InlineData(486, UpstreamOutcome.Success)]
    [InlineData(487, UpstreamOutcome.Success)]
    [InlineData(500, UpstreamOutcome.Success)]
    [InlineData(603, UpstreamOutcome.Success)]
    public void ForStatus_OnlyUnavailableAndTimeoutAreFailures(int status, UpstreamOutcome expected) =>
        Assert.Equal(expected, UpstreamOutcomes.ForStatus(status));

    [Fact]
    public void Failures_AtTheRatio_OpenTheCircuitUntilTheBreakIsOver()
    {
        for (var i = 0; i < 3; i++)
        {
            _health.Report(Pbx, UpstreamOutcome.Failure);
        }

        Assert.True(_health.IsUsable(Pbx), "three attempts are below the minimum throughput");
        _health.Report(Pbx, 503);

        Assert.False(_health.IsUsable(Pbx));
        Assert.Equal(CircuitState.Open, Breaker());
        _clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(CircuitState.Open, Breaker());
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(CircuitState.HalfOpen, Breaker());
        Assert.True(_health.IsUsable(Pbx));
    }

    [Fact]
    public void SuccessfulTrial_AfterTheBreak_ClosesTheCircuit()
    {
        Open();
        _clock.Advance(TimeSpan.FromSeconds(10));

        _health.Report(Pbx, 200);

        Assert.Equal(CircuitState.Closed, Breaker());
        Assert.True(_health.IsUsable(Pbx));
    }

    [Fact]
    public void FailedTrial_AfterTheBreak_ReopensForAnotherBreak()
    {
        Open();
        _clock.Advance(TimeSpan.FromSeconds(10));

        _health.Report(Pbx, 408);

        Assert.Equal(CircuitState.Open, Breaker());
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(_health.IsUsable(Pbx));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_health.IsUsable(Pbx));
    }

    [Fact]
    public void Outcomes_DuringTheBreak_NeitherCloseNorExtendIt()
    {
        Open();
        _clock.Advance(TimeSpan.FromSeconds(5));

        _health.Report(Pbx, 200);
        _health.Report(Pbx, 503);

        Assert.Equal(CircuitState.Open, Breaker());
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(CircuitState.HalfOpen, Breaker());
    }

    [Fact]
    public void Failures_BelowTheRatio_KeepTheCircuitClosed()
    {
        foreach (var status in new[] { 503, 200, 404, 486, 408, 200 })
        {
            _health.Report(Pbx, status);
        }

        Assert.Equal(CircuitState.Closed, Breaker());
    }

    [Fact]
    public void Failures_OutsideTheSamplingWindow_AreForgotten()
    {
        _health.Report(Pbx, 503);
        _health.Report(Pbx, 503);
        _clock.Advance(TimeSpan.FromSeconds(31));

        _health.Report(Pbx, 200);
        _health.Report(Pbx, 200);
        _health.Report(Pbx, 200);
        _health.Report(Pbx, 503);

        // Counted with the two old failures this would be 3 of 6, at the ratio.
        Assert.Equal(CircuitState.Closed, Breaker());
    }

    [Fact]
    public void Reports_WithoutOrWithAnUnknownUpstream_AreIgnored()
    {
        _health.Report(null, UpstreamOutcome.Failure);
        _health.Report("sip:192.0.2.99", 503);

        Assert.True(_health.IsUsable("sip:192.0.2.99"));
        Assert.Equal(CircuitState.Closed, Breaker());
    }

    private void Open()
    {
        for (var i = 0; i < 4; i++)
        {
            _health.Report(Pbx, UpstreamOutcome.Failure);
        }

        Assert.Equal(CircuitState.Open, Breaker());
    }

    private CircuitState Breaker() => _health.Snapshot().Single().Breaker;
}
