using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Tests.Transactions;

/// <summary>RFC 3261 §17.2 server machines and matching, with RFC 6026, on the wire with a fake clock.</summary>
public sealed class ServerTransactionTests
{
    private const string BusyLine = "SIP/2.0 486 Busy Here";

    [Fact]
    public void Invite_New_Gets100TryingAtOnceAndGoesUpOnce()
    {
        var h = new TransactionHarness();
        var invite = TransactionHarness.Request("INVITE");

        h.Layer.ReceiveRequest(invite);
        h.Layer.ReceiveRequest(invite);

        Assert.Single(h.RequestsUp);
        Assert.Equal(["SIP/2.0 100 Trying", "SIP/2.0 100 Trying"], h.Wire.Lines);
        Assert.Null(h.Wire.Sent[0].To!.Tag);
    }

    [Fact]
    public void TimerG_NonSuccessOverUdp_RetransmitsDoublingToT2UntilTimerH()
    {
        var h = new TransactionHarness();
        h.Layer.ReceiveRequest(TransactionHarness.Request("INVITE"));
        h.ServerTransactions[0].Respond(TransactionHarness.Response(h.RequestsUp[0], 486, "Busy Here"));

        h.Advance(40);

        // §17.2.1: G at T1 doubling to T2; H at 64*T1 without an ACK ends the transaction.
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5], h.Wire.TimesOf(BusyLine));
        Assert.Equal(["server timeout"], h.Events);
        Assert.Equal(0, h.Layer.ServerCount);
        Assert.Equal(0, h.Clock.ActiveTimerCount);
    }

    [Fact]
    public void Ack_ForNonSuccess_IsAbsorbedAndTimerIEnds()
    {
        var h = new TransactionHarness();
        var invite = TransactionHarness.Request("INVITE");
        h.Layer.ReceiveRequest(invite);
        var tx = h.ServerTransactions[0];
        tx.Respond(TransactionHarness.Response(invite, 486, "Busy Here"));
        h.Advance(0.6);

        h.Layer.ReceiveRequest(TransactionHarness.Request("ACK", toTag: "b1"));
        h.Layer.ReceiveRequest(TransactionHarness.Request("ACK", toTag: "b1"));
        h.Advance(4.9);

        Assert.Equal(TransactionState.Confirmed, tx.State);
        Assert.Empty(h.AcksUp);
        Assert.Equal([0, 0.5], h.Wire.TimesOf(BusyLine));
        h.Advance(0.1);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Clock.ActiveTimerCount);
    }

    [Fact]
    public void TimerG_NonSuccessOverTcp_NotUsedAndTimerIZero()
    {
        var h = new TransactionHarness();
        var invite = TransactionHarness.Request("INVITE", protocol: TransportProtocol.Tcp);
        h.Layer.ReceiveRequest(invite);
        var tx = h.ServerTransactions[0];
        tx.Respond(TransactionHarness.Response(invite, 486, "Busy Here"));
        h.Advance(10);
        Assert.Single(h.Wire.TimesOf(BusyLine));

        h.Layer.ReceiveRequest(TransactionHarness.Request("ACK", protocol: TransportProtocol.Tcp, toTag: "b1"));

        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void RetransmittedInvite_InCompleted_ResendsFinal()
    {
        var h = new TransactionHarness();
        var invite = TransactionHarness.Request("INVITE");
        h.Layer.ReceiveRequest(invite);
        h.ServerTransactions[0].Respond(TransactionHarness.Response(invite, 486, "Busy Here"));

        h.Advance(0.2);
        h.Layer.ReceiveRequest(invite);

        Assert.Equal([0, 0.2], h.Wire.TimesOf(BusyLine));
    }

    [Fact]
    public void Success_Invite_AcceptedPassesAckUpAndEndsAtTimerL()
    {
        var h = new TransactionHarness();
        var invite = TransactionHarness.Request("INVITE");
        h.Layer.ReceiveRequest(invite);
        var tx = h.ServerTransactions[0];
        tx.Respond(TransactionHarness.Response(invite, 200, "OK"));

        // RFC 6026 §7.1: retransmitted INVITEs are absorbed; the ACK (same branch from a 2543 peer or the dialog) goes up.
        h.Layer.ReceiveRequest(invite);
        h.Layer.ReceiveRequest(TransactionHarness.Request("ACK", toTag: "b1"));
        Assert.Equal(TransactionState.Accepted, tx.State);
        Assert.Single(h.AcksUp);
        Assert.Single(h.Wire.TimesOf("SIP/2.0 200 OK"));

        h.Advance(31.9);
        Assert.Equal(TransactionState.Accepted, tx.State);
        h.Advance(0.1);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Layer.ServerCount);
    }

    [Fact]
    public void Ack_MatchingNoTransaction_GoesToTheCore()
    {
        var h = new TransactionHarness();

        h.Layer.ReceiveRequest(TransactionHarness.Request("ACK", branch: "z9hG4bKnew", toTag: "b1"));

        Assert.Single(h.AcksUp);
        Assert.Equal(0, h.Layer.ServerCount);
    }

    [Fact]
    public void TimerJ_NonInviteOverUdp_AbsorbsRetransmissionsFor64T1()
    {
        var h = new TransactionHarness();
        var options = TransactionHarness.Request("OPTIONS");
        h.Layer.ReceiveRequest(options);
        h.Layer.ReceiveRequest(options);
        var tx = h.ServerTransactions[0];
        Assert.Empty(h.Wire.Sent);

        tx.Respond(TransactionHarness.Response(options, 200, "OK"));
        h.Advance(10);
        h.Layer.ReceiveRequest(options);

        Assert.Single(h.RequestsUp);
        Assert.Equal([0, 10], h.Wire.TimesOf("SIP/2.0 200 OK"));
        h.Advance(21.9);
        Assert.Equal(TransactionState.Completed, tx.State);
        h.Advance(0.1);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Clock.ActiveTimerCount);
    }

    [Fact]
    public void TimerJ_NonInviteOverTcp_IsZero()
    {
        var h = new TransactionHarness();
        h.Layer.ReceiveRequest(TransactionHarness.Request("OPTIONS", protocol: TransportProtocol.Tcp));

        h.ServerTransactions[0].Respond(TransactionHarness.Response(h.RequestsUp[0], 200, "OK"));

        Assert.Equal(TransactionState.Terminated, h.ServerTransactions[0].State);
        Assert.Equal(0, h.Layer.ServerCount);
    }

    [Fact]
    public void Provisional_NonInvite_ResentOnRetransmission()
    {
        var h = new TransactionHarness();
        var request = TransactionHarness.Request("INFO");
        h.Layer.ReceiveRequest(request);
        var tx = h.ServerTransactions[0];
        tx.Respond(TransactionHarness.Response(request, 100, "Trying"));

        h.Layer.ReceiveRequest(request);

        Assert.Equal(TransactionState.Proceeding, tx.State);
        Assert.Equal(2, h.Wire.TimesOf("SIP/2.0 100 Trying").Count);
    }

    [Fact]
    public void Cancel_MatchesItsInviteByBranchButIsItsOwnTransaction()
    {
        var h = new TransactionHarness();
        h.Layer.ReceiveRequest(TransactionHarness.Request("INVITE"));
        var cancel = TransactionHarness.Request("CANCEL");

        h.Layer.ReceiveRequest(cancel);

        Assert.Same(h.ServerTransactions[0], h.Layer.FindInviteForCancel(cancel));
        Assert.Equal(2, h.Layer.ServerCount);
        Assert.Null(h.Layer.FindInviteForCancel(TransactionHarness.Request("CANCEL", branch: "z9hG4bKother")));
    }

    [Fact]
    public void Merged_SameRequestByAnotherPath_IsDetected()
    {
        var h = new TransactionHarness();
        h.Layer.ReceiveRequest(TransactionHarness.Request("INVITE"));
        h.Layer.ReceiveRequest(TransactionHarness.Request("INVITE", branch: "z9hG4bKviaotherproxy"));

        Assert.False(h.Layer.IsMergedRequest(h.ServerTransactions[0]));
        Assert.True(h.Layer.IsMergedRequest(h.ServerTransactions[1]));
    }

    [Fact]
    public void Rfc2543Request_WithoutCookie_MatchesItsRetransmission()
    {
        var h = new TransactionHarness();
        var request = TransactionHarness.Request("OPTIONS", branch: "oldstyle1");

        h.Layer.ReceiveRequest(request);
        h.Layer.ReceiveRequest(TransactionHarness.Request("OPTIONS", branch: "oldstyle1"));

        Assert.Single(h.RequestsUp);
    }

    [Fact]
    public void Rfc2543Ack_ForNonSuccess_MatchesItsInvite()
    {
        var h = new TransactionHarness();
        var invite = TransactionHarness.Request("INVITE", branch: "oldstyle2");
        h.Layer.ReceiveRequest(invite);
        h.ServerTransactions[0].Respond(TransactionHarness.Response(invite, 486, "Busy Here"));

        h.Layer.ReceiveRequest(TransactionHarness.Request("ACK", branch: "oldstyle2", toTag: "b1"));

        Assert.Equal(TransactionState.Confirmed, h.ServerTransactions[0].State);
        Assert.Empty(h.AcksUp);
    }

    [Fact]
    public void Response_StampsReceivedAndRPortOnTopVia()
    {
        var request = TransactionHarness.Parse("""
            OPTIONS sip:bob@example.test SIP/2.0
            Via: SIP/2.0/UDP 10.0.0.7:5060;rport;branch=z9hG4bKnat
            Via: SIP/2.0/UDP proxy.example.test;branch=z9hG4bKp
            From: <sip:alice@example.test>;tag=a1
            To: <sip:bob@example.test>
            Call-ID: nat-1
            CSeq: 1 OPTIONS
            Content-Length: 0


            """);

        var response = ResponseBuilder.Create(request, 200, "OK", "t1");

        // RFC 3581 §4: rport filled with the source port and received added; RFC 3261 §18.2.2 then routes to them.
        Assert.Equal("SIP/2.0/UDP 10.0.0.7:5060;rport=5062;branch=z9hG4bKnat;received=192.0.2.10", response.GetValues(HeaderId.Via)[0]);
        Assert.Equal("SIP/2.0/UDP proxy.example.test;branch=z9hG4bKp", response.GetValues(HeaderId.Via)[1]);
        Assert.Equal("t1", response.To!.Tag);
        Assert.Equal(TransactionHarness.Peer, ResponseRouting.DestinationFor(request).EndPoint);
    }

    [Fact]
    public void ResponseRouting_UdpWithoutRPort_UsesSourceAddressAndViaPort()
    {
        var request = TransactionHarness.Parse("""
            OPTIONS sip:bob@example.test SIP/2.0
            Via: SIP/2.0/UDP host.example.test:5070;branch=z9hG4bKr
            From: <sip:alice@example.test>;tag=a1
            To: <sip:bob@example.test>
            Call-ID: r-1
            CSeq: 1 OPTIONS
            Content-Length: 0


            """);

        var destination = ResponseRouting.DestinationFor(request);

        Assert.Equal(new System.Net.IPEndPoint(TransactionHarness.Peer.Address, 5070), destination.EndPoint);
        Assert.Contains("received=192.0.2.10", ResponseBuilder.Create(request, 200, "OK").GetValues(HeaderId.Via)[0], StringComparison.Ordinal);
    }
}
