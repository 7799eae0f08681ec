using System.Diagnostics.Metrics;
using FeatureB2bua.Core.Routing;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Core.Tests.Routing;

/// <summary>How probe results move an upstream between unknown, up and down, and what the gauge shows.</summary>
public sealed class UpstreamProbeStateTests : IDisposable
{
    private const string Pbx = "sip:127.0.0.1:5070";
    private const string Trunk = "sip:127.0.0.1:5080";
    private readonly ManualTimeProvider _clock = new();
    private readonly OneMeterFactory _meters = new();
    private readonly UpstreamHealth _health;

    public UpstreamProbeStateTests()
    {
        _health = new UpstreamHealth(
            new RoutingOptions
            {
                Routes =
                [
                    new RouteOptions { Pattern = "^9", Targets = [Pbx, Trunk] },
                    new RouteOptions { Pattern = "^0", Targets = [Trunk] },
                ],
                Probe = new UpstreamProbeOptions { FailuresToDown = 3 },
            },
            _clock,
            _meters);
    }

    public void Dispose() => _meters.Dispose();

    [Fact]
    public void Upstreams_AreDistinct_InConfiguredOrder_AndUnknownAtFirst()
    {
        Assert.Equal([Pbx, Trunk], _health.Upstreams);
        Assert.All(_health.Snapshot(), s => Assert.Equal(UpstreamProbeState.Unknown, s.Probe));
        Assert.True(_health.IsUsable(Pbx));
    }

    [Fact]
    public void Failures_ReachingTheThreshold_MarkDown_AndOneAnswerMarksUp()
    {
        _health.ProbeUnanswered(Pbx, "timeout");
        _health.ProbeAnswered(Pbx, 503, "Service Unavailable");
        Assert.True(_health.IsUsable(Pbx), "two failures are below the threshold of three");

        _health.ProbeUnanswered(Pbx, "transport error");
        Assert.False(_health.IsUsable(Pbx));
        Assert.Equal(UpstreamProbeState.Down, Status(Pbx).Probe);
        Assert.Equal(3, Status(Pbx).ConsecutiveProbeFailures);

        _health.ProbeAnswered(Pbx, 200, "OK");
        Assert.True(_health.IsUsable(Pbx));
        Assert.Equal(UpstreamProbeState.Up, Status(Pbx).Probe);
        Assert.Equal(0, Status(Pbx).ConsecutiveProbeFailures);
    }

    [Fact]
    public void AnAnswer_BetweenFailures_StartsTheCountAgain()
    {
        _health.ProbeUnanswered(Pbx, "timeout");
        _health.ProbeUnanswered(Pbx, "timeout");
        _health.ProbeAnswered(Pbx, 200, "OK");
        _health.ProbeUnanswered(Pbx, "timeout");
        _health.ProbeUnanswered(Pbx, "timeout");

        Assert.True(_health.IsUsable(Pbx));
    }

    [Theory]
    [InlineData(404, "Not Found")]
    [InlineData(405, "Method Not Allowed")]
    [InlineData(407, "Proxy Authentication Required")]
    [InlineData(500, "Server Internal Error")]
    public void AnyAnswerButServiceUnavailable_ProvesTheServerAlive(int status, string reason)
    {
        for (var i = 0; i < 3; i++)
        {
            _health.ProbeUnanswered(Pbx, "timeout");
        }

        _health.ProbeAnswered(Pbx, status, reason);

        Assert.Equal(UpstreamProbeState.Up, Status(Pbx).Probe);
    }

    [Fact]
    public void Snapshot_TellsTheLastProbe()
    {
        _clock.Advance(TimeSpan.FromSeconds(7));
        _health.ProbeAnswered(Trunk, 405, "Method Not Allowed");
        _clock.Advance(TimeSpan.FromSeconds(1));
        _health.ProbeUnanswered(Pbx, "timeout");

        var trunk = Status(Trunk);
        Assert.Equal(_clock.Now.AddSeconds(-1), trunk.LastProbeAt);
        Assert.Equal(405, trunk.LastProbeStatus);
        Assert.Equal("405 Method Not Allowed", trunk.LastProbeResult);
        var pbx = Status(Pbx);
        Assert.Equal(_clock.Now, pbx.LastProbeAt);
        Assert.Null(pbx.LastProbeStatus);
        Assert.Equal("timeout", pbx.LastProbeResult);
    }

    [Fact]
    public void ProbeResults_ForAnUnknownUpstream_AreIgnored()
    {
        _health.ProbeUnanswered("sip:192.0.2.1", "timeout");
        _health.ProbeAnswered("sip:192.0.2.1", 200, "OK");

        Assert.Equal(2, _health.Snapshot().Count);
    }

    [Fact]
    public void Gauge_IsOneForUsableAndZeroForDownUpstreams()
    {
        for (var i = 0; i < 3; i++)
        {
            _health.ProbeUnanswered(Trunk, "timeout");
        }

        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == _meters.Meter && instrument.Name == "b2bua_upstream_up")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "target")
                {
                    seen[(string)tag.Value!] = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(1, seen[Pbx]);
        Assert.Equal(0, seen[Trunk]);
    }

    private UpstreamStatus Status(string upstream) => _health.Snapshot().Single(s => s.Upstream == upstream);

    /// <summary>Hands out one meter the test can tell apart from those of tests running beside it.</summary>
    private sealed class OneMeterFactory : IMeterFactory
    {
        public Meter? Meter { get; private set; }

        public Meter Create(MeterOptions options) => Meter = new Meter(options);

        public void Dispose() => Meter?.Dispose();
    }
}
