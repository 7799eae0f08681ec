using System.Text;
using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Tests.Dialogs;

/// <summary>RFC 3261 §12: dialog state from INVITE and response, and requests built inside it.</summary>
public sealed class DialogTests
{
    private const string Via = "SIP/2.0/UDP 192.0.2.1:5060";
    private const string Contact = "<sip:b2bua@192.0.2.1:5060>";

    private static readonly SipMessage Invite = Parse("""
        INVITE sip:bob@example.test SIP/2.0
        Via: SIP/2.0/UDP p1.example.test;branch=z9hG4bKp1
        Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bKa
        Record-Route: <sip:p1.example.test;lr>, <sip:p2.example.test;lr>
        From: "Alice" <sip:alice@example.test>;tag=a1
        To: <sip:bob@example.test>
        Call-ID: call-1
        CSeq: 10 INVITE
        Contact: <sip:alice@198.51.100.7:5062>
        Content-Length: 0


        """);

    [Fact]
    public void Uas_FromInvite_RouteSetInOrderAndTargetIsContact()
    {
        var dialog = Dialog.ForUas(Invite, "b1");

        var bye = DialogRequestBuilder.Build(dialog, SipMethod.Bye, dialog.NextLocalCSeq(), Via, Contact);

        Assert.Equal(new DialogId("call-1", "b1", "a1"), dialog.Id);
        Assert.Equal("sip:alice@198.51.100.7:5062", bye.RequestUri!.Raw);
        Assert.Equal(["<sip:p1.example.test;lr>", "<sip:p2.example.test;lr>"], bye.GetValues(HeaderId.Route));
        Assert.Equal("b1", bye.From!.Tag);
        Assert.Equal("a1", bye.To!.Tag);
        Assert.Equal("\"Alice\" <sip:alice@example.test>", bye.GetHeader(HeaderId.To)![..bye.GetHeader(HeaderId.To)!.IndexOf(';', StringComparison.Ordinal)]);
        Assert.Equal(1u, bye.CSeq!.Number);
        Assert.True(bye.TopVia!.IsRfc3261Branch);
        Assert.False(bye.HasHeader(HeaderId.Contact));
    }

    [Fact]
    public void Uac_FromResponse_RouteSetReversedAndTargetIsResponseContact()
    {
        var ours = Parse("""
            INVITE sip:bob@192.0.2.9 SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKours
            From: <sip:alice@example.test>;tag=l1
            To: <sip:bob@example.test>
            Call-ID: b-leg-1
            CSeq: 1 INVITE
            Contact: <sip:b2bua@192.0.2.1:5060>
            Content-Length: 0


            """);
        var ok = Parse("""
            SIP/2.0 200 OK
            Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKours
            Record-Route: <sip:p1.example.test;lr>, <sip:p2.example.test;lr>
            From: <sip:alice@example.test>;tag=l1
            To: <sip:bob@example.test>;tag=r1
            Call-ID: b-leg-1
            CSeq: 1 INVITE
            Contact: <sip:bob@192.0.2.9:5070>
            Content-Length: 0


            """);

        var dialog = Dialog.ForUac(ours, ok);
        var ack = DialogRequestBuilder.Build(dialog, SipMethod.Ack, 1, Via, Contact);
        var bye = DialogRequestBuilder.Build(dialog, SipMethod.Bye, dialog.NextLocalCSeq(), Via, Contact);

        Assert.True(dialog.IsConfirmed);
        Assert.Equal("sip:bob@192.0.2.9:5070", ack.RequestUri!.Raw);
        Assert.Equal(["<sip:p2.example.test;lr>", "<sip:p1.example.test;lr>"], ack.GetValues(HeaderId.Route));
        Assert.Equal(1u, ack.CSeq!.Number);
        Assert.Equal(2u, bye.CSeq!.Number);
        Assert.Equal("r1", bye.To!.Tag);
        Assert.NotEqual(ack.TopVia!.Branch, bye.TopVia!.Branch);
    }

    [Fact]
    public void StrictRouterFirst_RequestUriIsTheRouteAndTargetGoesLast()
    {
        var invite = Parse(Encoding.UTF8.GetString(Invite.Raw.Span).Replace("<sip:p1.example.test;lr>", "<sip:p1.example.test>", StringComparison.Ordinal));
        var dialog = Dialog.ForUas(invite, "b1");

        var bye = DialogRequestBuilder.Build(dialog, SipMethod.Bye, dialog.NextLocalCSeq(), Via, Contact);

        // §12.2.1.1: a strict router as first hop takes the Request-URI; the remote target becomes the last Route.
        Assert.Equal("sip:p1.example.test", bye.RequestUri!.Raw);
        Assert.Equal(["<sip:p2.example.test;lr>", "<sip:alice@198.51.100.7:5062>"], bye.GetValues(HeaderId.Route));
    }

    [Fact]
    public void RemoteRequest_LowerCSeq_IsRefused()
    {
        var dialog = Dialog.ForUas(Invite, "b1");

        var lower = Parse(Encoding.UTF8.GetString(Invite.Raw.Span).Replace("CSeq: 10 INVITE", "CSeq: 9 INVITE", StringComparison.Ordinal));
        var higher = Parse(Encoding.UTF8.GetString(Invite.Raw.Span).Replace("CSeq: 10 INVITE", "CSeq: 11 INVITE", StringComparison.Ordinal).Replace("198.51.100.7:5062>", "198.51.100.8:5062>", StringComparison.Ordinal));

        Assert.False(dialog.AcceptRemoteRequest(lower));
        Assert.True(dialog.AcceptRemoteRequest(higher));
        Assert.Equal("sip:alice@198.51.100.8:5062", dialog.RemoteTarget.Raw);
    }

    private static SipMessage Parse(string text) =>
        SipParser.Parse(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n")), out _)!;
}
