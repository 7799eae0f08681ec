using System.Net;
using System.Text;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Tests.Calls;

/// <summary>A leg kept as JSON comes back as the same dialog: a BYE built from it is the BYE the live dialog would send.</summary>
public sealed class CallLegsTests
{
    private const string Via = "SIP/2.0/UDP 192.0.2.1:5060";

    private static readonly SipMessage Invite = Parse("""
        INVITE sip:bob@192.0.2.9 SIP/2.0
        Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKours
        From: "Alice" <sip:alice@example.test>;tag=l1
        To: <sip:bob@example.test>
        Call-ID: b-leg-1
        CSeq: 1 INVITE
        Contact: <sip:b2bua@192.0.2.1:5060>
        Content-Length: 0


        """);

    private static readonly SipMessage Ok = Parse("""
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKours
        Record-Route: <sip:p2.example.test;lr>, <sip:p1.example.test;lr>
        From: "Alice" <sip:alice@example.test>;tag=l1
        To: <sip:bob@example.test>;tag=r1
        Call-ID: b-leg-1
        CSeq: 1 INVITE
        Contact: <sip:bob@198.51.100.9:5070;transport=udp>
        Content-Length: 0


        """);

    [Fact]
    public void RoundTrip_KeepsEveryField_AndTheNextCSeq()
    {
        var dialog = Dialog.ForUac(Invite, Ok);
        dialog.NextLocalCSeq();
        var leg = LegDialog.Of("B", dialog, new SipDestination(TransportProtocol.Udp, IPEndPoint.Parse("192.0.2.50:5060")));

        var json = new CallLegs([leg]).ToJson();
        var back = Assert.Single(CallLegs.FromJson(json)!.Legs);

        Assert.Equal(
            """{"legs":[{"name":"B","callId":"b-leg-1","localTag":"l1","remoteTag":"r1","localUri":"\"Alice\" <sip:alice@example.test>","remoteUri":"<sip:bob@example.test>","remoteTarget":"sip:bob@198.51.100.9:5070;transport=udp","routeSet":["<sip:p1.example.test;lr>","<sip:p2.example.test;lr>"],"nextCSeq":3,"transport":"udp","peer":"192.0.2.50:5060"}]}""",
            json);
        Assert.Equal(json, new CallLegs([back]).ToJson());
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.50"), 5060), back.ToDestination()!.EndPoint);
        Assert.Equal(TransportProtocol.Udp, back.ToDestination()!.Protocol);
    }

    [Fact]
    public void RestoredDialog_BuildsTheByeTheLiveDialogWould()
    {
        var live = Dialog.ForUac(Invite, Ok);
        var restored = CallLegs.FromJson(new CallLegs([LegDialog.Of("B", live, new SipDestination(TransportProtocol.Udp, IPEndPoint.Parse("192.0.2.50:5060")))]).ToJson())!.Legs[0].ToDialog()!;

        var fromLive = DialogRequestBuilder.Build(live, SipMethod.Bye, live.NextLocalCSeq(), Via, string.Empty);
        var fromRestored = DialogRequestBuilder.Build(restored, SipMethod.Bye, restored.NextLocalCSeq(), Via, string.Empty);

        Assert.Equal(WithoutBranch(fromLive), WithoutBranch(fromRestored));
        Assert.Equal(2u, fromRestored.CSeq!.Number);
    }

    [Fact]
    public void UasLeg_TakesCSeqOneForItsFirstRequest()
    {
        var uas = Dialog.ForUas(Invite, "ours");

        var leg = LegDialog.Of("A", uas, new SipDestination(TransportProtocol.Tcp, IPEndPoint.Parse("[2001:db8::7]:5062")));

        Assert.Equal(1u, leg.NextCSeq);
        Assert.Equal("tcp", leg.Transport);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 5062), leg.ToDestination()!.EndPoint);
        Assert.Equal(1u, leg.ToDialog()!.NextLocalCSeq());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{not json")]
    public void FromJson_OfNothingOrGarbage_IsNull(string? json) => Assert.Null(CallLegs.FromJson(json));

    [Fact]
    public void ToDialog_OfALegWhoseTargetDoesNotParse_IsNull()
    {
        var leg = LegDialog.Of("A", Dialog.ForUas(Invite, "ours"), new SipDestination(TransportProtocol.Udp, IPEndPoint.Parse("192.0.2.50:5060"))) with { RemoteTarget = "not a uri" };

        Assert.Null(leg.ToDialog());
    }

    private static string WithoutBranch(SipMessage message) =>
        Encoding.UTF8.GetString(message.Raw.Span).Replace(message.TopVia!.Branch!, "BRANCH", StringComparison.Ordinal);

    private static SipMessage Parse(string text) =>
        SipParser.Parse(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n")), out _)!;
}
