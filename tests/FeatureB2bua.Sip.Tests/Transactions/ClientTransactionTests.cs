using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Tests.Transactions;

/// <summary>RFC 3261 §17.1 client machines: retransmission schedules and timers on the wire, with a fake clock.</summary>
public sealed class ClientTransactionTests
{
    private const string InviteLine = "INVITE sip:bob@example.test SIP/2.0";
    private const string OptionsLine = "OPTIONS sip:bob@example.test SIP/2.0";

    [Fact]
    public void TimerA_InviteOverUdp_RetransmitsAtDoublingIntervalsUntilTimerB()
    {
        var h = new TransactionHarness();
        h.SendRequest(TransactionHarness.Request("INVITE"));

        h.Advance(40);

        // §17.1.1.2: T1, 2T1, 4T1 ... from the first send; Timer B at 64*T1 = 32 s ends it.
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5], h.Wire.TimesOf(InviteLine));
        Assert.Equal(["timeout"], h.Events);
        Assert.Equal(0, h.Layer.ClientCount);
        Assert.Equal(0, h.Clock.ActiveTimerCount);
    }

    [Fact]
    public void TimerA_InviteOverTcp_NeverRetransmits()
    {
        var h = new TransactionHarness();
        h.SendRequest(TransactionHarness.Request("INVITE", protocol: TransportProtocol.Tcp), TransportProtocol.Tcp);

        h.Advance(31.9);
        Assert.Single(h.Wire.TimesOf("INVITE sip:bob@example.test SIP/2.0"));
        Assert.Empty(h.Events);

        h.Advance(0.1);
        Assert.Equal(["timeout"], h.Events);
    }

    [Fact]
    public void Provisional_InCalling_StopsRetransmissionButTimerBRuns()
    {
        var h = new TransactionHarness();
        var invite = TransactionHarness.Request("INVITE");
        var tx = h.SendRequest(invite);
        h.Advance(0.7);

        h.Layer.ReceiveResponse(TransactionHarness.Response(invite, 180, "Ringing"));
        h.Advance(10);

        Assert.Equal([0, 0.5], h.Wire.TimesOf(InviteLine));
        Assert.Equal(TransactionState.Proceeding, tx.State);
        Assert.Equal(180, Assert.Single(h.ResponsesUp).StatusCode);
    }

    [Fact]
    public void NonSuccessFinal_Invite_AckedByTransactionAndAbsorbedUntilTimerD()
    {
        var h = new TransactionHarness();
        var invite = TransactionHarness.Request("INVITE");
        var tx = h.SendRequest(invite);
        var busy = TransactionHarness.Response(invite, 486, "Busy Here");

        h.Layer.ReceiveResponse(busy);
        h.Advance(1);
        h.Layer.ReceiveResponse(busy);

        // §17.1.1.3: ACK to the same branch, To with the response's tag; a retransmitted final is ACKed again.
        var acks = h.Wire.Sent.Where(m => m.Method == Messages.SipMethod.Ack).ToList();
        Assert.Equal(2, acks.Count);
        Assert.Equal(invite.TopVia!.Branch, acks[0].TopVia!.Branch);
        Assert.Equal("b1", acks[0].To!.Tag);
        Assert.Equal(1u, acks[0].CSeq!.Number);
        Assert.Single(h.ResponsesUp);
        Assert.Equal(TransactionState.Completed, tx.State);

        h.Advance(30.9);
        Assert.Equal(TransactionState.Completed, tx.State);
        h.Advance(0.1);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Layer.ClientCount);
    }

    [Fact]
    public void NonSuccessFinal_InviteOverTcp_TimerDIsZero()
    {
        var h = new TransactionHarness();
        var invite = TransactionHarness.Request("INVITE", protocol: TransportProtocol.Tcp);
        var tx = h.SendRequest(invite, TransportProtocol.Tcp);

        h.Layer.ReceiveResponse(TransactionHarness.Response(invite, 404, "Not Found"));

        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Clock.ActiveTimerCount);
    }

    [Fact]
    public void Success_Invite_EntersAcceptedPassesEvery2xxAndEndsAtTimerM()
    {
        var h = new TransactionHarness();
        var invite = TransactionHarness.Request("INVITE");
        var tx = h.SendRequest(invite);
        var ok = TransactionHarness.Response(invite, 200, "OK");

        h.Layer.ReceiveResponse(ok);
        h.Layer.ReceiveResponse(ok);

        // RFC 6026 §7.2: no ACK from the transaction; each 2xx goes up for the TU to ACK.
        Assert.Equal(TransactionState.Accepted, tx.State);
        Assert.Equal(2, h.ResponsesUp.Count);
        Assert.DoesNotContain(h.Wire.Sent, m => m.Method == Messages.SipMethod.Ack);

        h.Advance(31.9);
        Assert.Equal(TransactionState.Accepted, tx.State);
        h.Advance(0.1);
        Assert.Equal(TransactionState.Terminated, tx.State);

        h.Layer.ReceiveResponse(ok);
        Assert.Equal(["stray 200"], h.Events);
    }

    [Fact]
    public void TimerE_NonInviteOverUdp_DoublesToT2ThenTimerF()
    {
        var h = new TransactionHarness();
        h.SendRequest(TransactionHarness.Request("OPTIONS"));

        h.Advance(40);

        // §17.1.2.2: T1, 2T1, 4T1, then T2 (4 s) until Timer F at 64*T1.
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5], h.Wire.TimesOf(OptionsLine));
        Assert.Equal(["timeout"], h.Events);
        Assert.Equal(0, h.Clock.ActiveTimerCount);
    }

    [Fact]
    public void TimerE_InProceeding_RetransmitsEveryT2()
    {
        var h = new TransactionHarness();
        var request = TransactionHarness.Request("OPTIONS");
        var tx = h.SendRequest(request);
        h.Advance(0.2);
        h.Layer.ReceiveResponse(TransactionHarness.Response(request, 100, "Trying"));

        h.Advance(13);

        Assert.Equal(TransactionState.Proceeding, tx.State);
        Assert.Equal([0, 0.5, 4.5, 8.5, 12.5], h.Wire.TimesOf(OptionsLine));
    }

    [Fact]
    public void TimerK_NonInviteFinal_AbsorbsRetransmissionsForT4()
    {
        var h = new TransactionHarness();
        var request = TransactionHarness.Request("OPTIONS");
        var tx = h.SendRequest(request);
        var ok = TransactionHarness.Response(request, 200, "OK");

        h.Layer.ReceiveResponse(ok);
        h.Layer.ReceiveResponse(ok);
        Assert.Single(h.ResponsesUp);
        Assert.Equal(TransactionState.Completed, tx.State);

        h.Advance(4.9);
        Assert.Equal(TransactionState.Completed, tx.State);
        h.Advance(0.1);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Clock.ActiveTimerCount);
    }

    [Fact]
    public void TimerK_NonInviteOverTcp_IsZero()
    {
        var h = new TransactionHarness();
        var request = TransactionHarness.Request("OPTIONS", protocol: TransportProtocol.Tcp);
        var tx = h.SendRequest(request, TransportProtocol.Tcp);

        h.Layer.ReceiveResponse(TransactionHarness.Response(request, 200, "OK"));

        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void TransportError_OnSend_EndsTransactionAndTellsTheUser()
    {
        var h = new TransactionHarness();
        h.Wire.NextResult = SendResult.ConnectFailed;

        var tx = h.SendRequest(TransactionHarness.Request("INVITE"));

        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(["transport error"], h.Events);
        Assert.Equal(0, h.Clock.ActiveTimerCount);
    }

    [Fact]
    public void Matching_ResponseWithOtherMethodSameBranch_DoesNotMatch()
    {
        var h = new TransactionHarness();
        var invite = TransactionHarness.Request("INVITE");
        h.SendRequest(invite);

        // §17.1.3: a CANCEL shares the INVITE's branch; its 200 must not complete the INVITE.
        var cancel = TransactionHarness.Request("CANCEL");
        h.Layer.ReceiveResponse(TransactionHarness.Response(cancel, 200, "OK"));

        Assert.Empty(h.ResponsesUp);
        Assert.Equal(["stray 200"], h.Events);
    }
}
