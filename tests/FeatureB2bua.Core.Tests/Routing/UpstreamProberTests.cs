using FeatureB2bua.Core.Routing;
using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureB2bua.Core.Tests.Routing;

/// <summary>The prober over a real transaction layer whose sends are recorded, on a clock the test moves.</summary>
public sealed class UpstreamProberTests : IDisposable
{
    private const string Pbx = "sip:127.0.0.1:5070";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _clock = new();
    private readonly RecordingSender _sender = new();
    private readonly SipMetrics _metrics = new();
    private readonly TransactionLayer _transactions;
    private readonly UpstreamHealth _health;
    private readonly UpstreamProber _prober;

    public UpstreamProberTests()
    {
        var options = new RoutingOptions
        {
            Routes = [new RouteOptions { Pattern = "^9", Targets = [Pbx] }],
            Probe = new UpstreamProbeOptions { Interval = Interval, FailuresToDown = 2 },
        };
        _transactions = new TransactionLayer(_sender, _clock, new SipTimerOptions(), _metrics, NullLogger<TransactionLayer>.Instance);
        _health = new UpstreamHealth(options, _clock);
        _prober = new UpstreamProber(_health, _transactions, _ => "192.0.2.10:5060", "example.test", Interval, _clock, NullLogger<UpstreamProber>.Instance);
        _prober.Start();
    }

    public void Dispose()
    {
        _prober.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public void EachInterval_SendsAnOutOfDialogOptions()
    {
        _clock.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_sender.Sent);

        _clock.Advance(TimeSpan.FromMilliseconds(1));

        var (options, destination) = Assert.Single(_sender.Sent);
        Assert.Equal("OPTIONS", options.MethodName);
        Assert.Equal(Pbx, options.RequestUri!.Raw);
        Assert.Equal(70, options.MaxForwards);
        Assert.Equal("1 OPTIONS", options.GetHeader(HeaderId.CSeq));
        Assert.StartsWith("z9hG4bK", options.TopVia!.Branch, StringComparison.Ordinal);
        Assert.Equal("192.0.2.10:5060", options.TopVia.SentBy);
        Assert.NotNull(options.From!.Tag);
        Assert.Null(options.To!.Tag);
        Assert.Equal(Pbx, options.To.Uri.Raw);
        Assert.Equal("127.0.0.1:5070", destination.EndPoint.ToString());
        Assert.Equal(TransportProtocol.Udp, destination.Protocol);
    }

    [Fact]
    public void AnsweredProbes_MarkUp_WithAFreshTransactionEachRound()
    {
        _clock.Advance(Interval);
        Answer(_sender.Sent[^1].Message, 405, "Method Not Allowed");
        Assert.Equal(UpstreamProbeState.Up, Status().Probe);

        _clock.Advance(Interval);
        Answer(_sender.Sent[^1].Message, 200, "OK");

        Assert.Equal(2, _sender.Sent.Count);
        Assert.NotEqual(_sender.Sent[0].Message.TopVia!.Branch, _sender.Sent[1].Message.TopVia!.Branch);
        Assert.NotEqual(_sender.Sent[0].Message.CallId, _sender.Sent[1].Message.CallId);
        Assert.Equal("200 OK", Status().LastProbeResult);
    }

    [Fact]
    public void SilentUpstream_GoesDownAfterTwoTimeouts_WithOneProbeOutAtATime()
    {
        _clock.Advance(Interval);
        var first = _sender.Sent[0].Message.TopVia!.Branch;

        // Timer F is 64*T1 = 32 s: rounds at 20 and 30 s find the first probe still out and send nothing new.
        _clock.Advance(TimeSpan.FromSeconds(32));
        Assert.All(_sender.Sent, s => Assert.Equal(first, s.Message.TopVia!.Branch));
        Assert.Equal(UpstreamProbeState.Unknown, Status().Probe);
        Assert.Equal("timeout", Status().LastProbeResult);
        Assert.Equal(0, _transactions.ClientCount);

        _clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(UpstreamProbeState.Down, Status().Probe);
        Assert.False(_health.IsUsable(Pbx));

        _clock.Advance(TimeSpan.FromSeconds(10));
        Answer(_sender.Sent[^1].Message, 200, "OK");
        Assert.True(_health.IsUsable(Pbx));
    }

    [Fact]
    public void ServiceUnavailable_CountsAsAFailedProbe()
    {
        _clock.Advance(Interval);
        Answer(_sender.Sent[^1].Message, 503, "Service Unavailable");
        _clock.Advance(Interval);
        Answer(_sender.Sent[^1].Message, 503, "Service Unavailable");

        Assert.Equal(UpstreamProbeState.Down, Status().Probe);
        Assert.Equal(503, Status().LastProbeStatus);
    }

    [Fact]
    public void TransportError_CountsAsAFailedProbe_AndLeavesNoTransaction()
    {
        _sender.Result = SendResult.NoTransport;
        _clock.Advance(Interval);
        _clock.Advance(Interval);

        Assert.Equal(UpstreamProbeState.Down, Status().Probe);
        Assert.Equal("transport error", Status().LastProbeResult);
        Assert.Equal(0, _transactions.ClientCount);
    }

    [Fact]
    public void AnsweredProbe_TransactionEndsAfterTimerK()
    {
        _clock.Advance(Interval);
        Answer(_sender.Sent[^1].Message, 200, "OK");
        Assert.Equal(1, _transactions.ClientCount);

        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, _transactions.ClientCount);
    }

    [Fact]
    public void Stopped_SendsNoMoreProbes()
    {
        _prober.Dispose();

        _clock.Advance(Interval * 3);

        Assert.Empty(_sender.Sent);
    }

    private void Answer(SipMessage request, int status, string reason) =>
        _transactions.ReceiveResponse(SipParser.Parse(ResponseBuilder.Create(request, status, reason, "up1").Raw.Span, out _)!);

    private UpstreamStatus Status() => _health.Snapshot().Single();
}
