using System.Text;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureB2bua.Core.Tests.Calls;

/// <summary>The BYEs sent for a dead process's call, byte for byte, over a real transaction layer on a clock the test moves.</summary>
public sealed class OrphanCallHangupTests : IDisposable
{
    private static readonly DateTimeOffset Setup = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new();
    private readonly RecordingSender _sender = new();
    private readonly SipMetrics _sipMetrics = new();
    private readonly OrphanCallMetrics _metrics = new();
    private readonly SipTimerOptions _timers = new();
    private readonly TransactionLayer _transactions;
    private readonly OrphanCallHangup _hangup;

    public OrphanCallHangupTests()
    {
        _transactions = new TransactionLayer(_sender, _clock, _timers, _sipMetrics, NullLogger<TransactionLayer>.Instance);
        _hangup = new OrphanCallHangup(_transactions, p => p == TransportProtocol.Udp ? "192.0.2.10:5060" : null, _metrics, NullLogger<OrphanCallHangup>.Instance);
    }

    public void Dispose()
    {
        _sipMetrics.Dispose();
        _metrics.Meter.Dispose();
    }

    [Fact]
    public async Task EachLeg_GetsAByeInItsDialog_ByteForByte()
    {
        var done = _hangup.HangUpAsync(Call(ALeg, BLeg), OrphanCallHangup.Takeover);

        Assert.Equal(2, _sender.Sent.Count);
        var (a, toA) = _sender.Sent.Single(s => s.Message.CallId == "a-call@198.51.100.7");
        var (b, toB) = _sender.Sent.Single(s => s.Message.CallId == "b-call@192.0.2.10");
        Assert.Equal(
            "BYE sip:alice@198.51.100.7:5062 SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 192.0.2.10:5060;branch={a.TopVia!.Branch};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:bob@example.test>;tag=ours-a\r\n" +
            "To: \"Alice\" <sip:alice@example.test>;tag=alice-tag\r\n" +
            "Call-ID: a-call@198.51.100.7\r\n" +
            "CSeq: 1 BYE\r\n" +
            "Route: <sip:edge.example.test;lr>\r\n" +
            "Content-Length: 0\r\n\r\n",
            Encoding.UTF8.GetString(a.Raw.Span));
        Assert.Equal("198.51.100.1:5060", toA.EndPoint.ToString());
        Assert.Equal(
            "BYE sip:bob@198.51.100.9:5070 SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 192.0.2.10:5060;branch={b.TopVia!.Branch};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: \"Alice\" <sip:alice@example.test>;tag=ours-b\r\n" +
            "To: <sip:bob@example.test>;tag=bob-tag\r\n" +
            "Call-ID: b-call@192.0.2.10\r\n" +
            "CSeq: 5 BYE\r\n" +
            "Content-Length: 0\r\n\r\n",
            Encoding.UTF8.GetString(b.Raw.Span));
        Assert.Equal("198.51.100.9:5070", toB.EndPoint.ToString());
        Assert.True(a.TopVia.IsRfc3261Branch);
        Assert.NotEqual(a.TopVia.Branch, b.TopVia.Branch);

        Answer(a, 200, "OK");
        Answer(b, 481, "Call/Transaction Does Not Exist");
        Assert.Equal(["ended", "gone"], await done);
    }

    [Fact]
    public void StrictRouter_FirstHop_IsTheRequestUri_AndTheTargetTheLastRoute()
    {
        _ = _hangup.HangUpAsync(Call(ALeg with { RouteSet = ["<sip:strict.example.test>"] }), OrphanCallHangup.Command);

        var (bye, _) = Assert.Single(_sender.Sent);
        Assert.Equal("sip:strict.example.test", bye.RequestUri!.Raw);
        Assert.Equal(["<sip:alice@198.51.100.7:5062>"], bye.GetValues(HeaderId.Route));
    }

    [Fact]
    public async Task OverUdp_TheByeIsRetransmitted_UntilTimerF_ThenTheLegCountsAsGone()
    {
        var done = _hangup.HangUpAsync(Call(BLeg), OrphanCallHangup.Restart);

        // §17.1.2.2: Timer E at T1, doubling; the same bytes each time.
        _clock.Advance(_timers.T1);
        _clock.Advance(_timers.T1 * 2);
        Assert.Equal(3, _sender.Sent.Count);
        Assert.All(_sender.Sent, s => Assert.Equal(_sender.Sent[0].Message.Raw.ToArray(), s.Message.Raw.ToArray()));
        Assert.False(done.IsCompleted);

        _clock.Advance(_timers.T1 * 64);

        Assert.Equal(["gone"], await done);
    }

    [Fact]
    public async Task AProvisional_DoesNotEndTheWait_AndARefusalIsReported()
    {
        var done = _hangup.HangUpAsync(Call(BLeg), OrphanCallHangup.Takeover);
        var (bye, _) = Assert.Single(_sender.Sent);

        Answer(bye, 100, "Trying");
        Assert.False(done.IsCompleted);
        Answer(bye, 403, "Forbidden");

        Assert.Equal(["refused"], await done);
    }

    [Fact]
    public async Task ALegOnATransportWeDoNotListenOn_IsUnreachable_AndNothingIsSent()
    {
        var outcomes = await _hangup.HangUpAsync(Call(BLeg with { Transport = "tcp" }), OrphanCallHangup.Takeover);

        Assert.Equal(["unreachable"], outcomes);
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public async Task ACallThatWasNeverAnswered_HasNoDialogToEnd()
    {
        var outcomes = await _hangup.HangUpAsync(new OpenCall("x@198.51.100.7", "sip:alice@example.test", "sip:bob@example.test", Setup, null, Setup) { Node = "n1" }, OrphanCallHangup.Takeover);

        Assert.Empty(outcomes);
        Assert.Empty(_sender.Sent);
    }

    private static readonly LegDialog ALeg = new(
        "A", "a-call@198.51.100.7", "ours-a", "alice-tag", "<sip:bob@example.test>", "\"Alice\" <sip:alice@example.test>",
        "sip:alice@198.51.100.7:5062", ["<sip:edge.example.test;lr>"], 1, "udp", "198.51.100.1:5060");

    private static readonly LegDialog BLeg = new(
        "B", "b-call@192.0.2.10", "ours-b", "bob-tag", "\"Alice\" <sip:alice@example.test>", "<sip:bob@example.test>",
        "sip:bob@198.51.100.9:5070", [], 5, "udp", "198.51.100.9:5070");

    private static OpenCall Call(params LegDialog[] legs) =>
        new("a-call@198.51.100.7", "sip:alice@example.test", "sip:bob@example.test", Setup, Setup, Setup) { Node = "n1", Legs = new CallLegs(legs).ToJson() };

    private void Answer(SipMessage request, int status, string reason) =>
        _transactions.ReceiveResponse(SipParser.Parse(ResponseBuilder.Create(request, status, reason, null).Raw.Span, out _)!);
}
