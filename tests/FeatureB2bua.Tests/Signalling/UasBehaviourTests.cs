using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Signalling;

/// <summary>What the running server answers over UDP on loopback (RFC 3261 §8.2, §11, §9.2).</summary>
public sealed class UasBehaviourTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Options_OverUdp_Answers200WithCapabilities()
    {
        using var client = new UdpSipClient(server.UdpEndPoint);
        client.Send(SipText.Request("OPTIONS", "sip:example.test", branch: "z9hG4bKopt1", callId: "opt1"));

        var response = await client.ReceiveFinalAsync();

        Assert.Equal(200, response.StatusCode);
        Assert.Contains("INVITE", response.GetHeader(HeaderId.Allow), StringComparison.Ordinal);
        Assert.Equal("application/sdp", response.GetHeader(HeaderId.Accept));
        Assert.NotNull(response.GetHeader(HeaderId.Supported));
        Assert.NotNull(response.To!.Tag);
        Assert.Equal("opt1", response.CallId);

        // RFC 3581: the top Via comes back with our view of the client's address.
        Assert.Equal(client.LocalEndPoint.Port, response.TopVia!.RPort);
        Assert.Equal("127.0.0.1", response.TopVia.Received);
    }

    [Fact]
    public async Task Invite_FromUntrustedSource_Gets100Then407AndRetransmissionGetsItAgain()
    {
        using var client = new UdpSipClient(server.UdpEndPoint);
        var invite = SipText.Request("INVITE", "sip:nobody@example.test", branch: "z9hG4bKinv404", callId: "inv404");
        client.Send(invite);

        var trying = await client.ReceiveAsync();
        var final = await client.ReceiveFinalAsync();
        client.Send(invite);
        var again = await client.ReceiveFinalAsync();

        Assert.Equal(100, trying!.StatusCode);
        Assert.Equal(407, final.StatusCode);
        Assert.Equal(2, final.GetHeaderLines(HeaderId.ProxyAuthenticate).Count);
        Assert.Equal(final.To!.Tag, again.To!.Tag);
    }

    [Fact]
    public async Task Invite_MaxForwardsZero_Gets483()
    {
        using var client = new UdpSipClient(server.UdpEndPoint);
        client.Send(SipText.Request("INVITE", branch: "z9hG4bKmf0", callId: "mf0", maxForwards: 0));

        Assert.Equal(483, (await client.ReceiveFinalAsync()).StatusCode);
    }

    [Fact]
    public async Task Invite_SameRequestByTwoPaths_SecondGets482()
    {
        using var client = new UdpSipClient(server.UdpEndPoint);
        client.Send(SipText.Request("INVITE", branch: "z9hG4bKpath1", callId: "merge1"));
        Assert.Equal(407, (await client.ReceiveFinalAsync()).StatusCode);

        client.Send(SipText.Request("INVITE", branch: "z9hG4bKpath2", callId: "merge1"));

        Assert.Equal(482, (await client.ReceiveFinalAsync()).StatusCode);
    }

    [Fact]
    public async Task Cancel_MatchingNothing_Gets481()
    {
        using var client = new UdpSipClient(server.UdpEndPoint);
        client.Send(SipText.Request("CANCEL", branch: "z9hG4bKnone", callId: "cancel481"));

        Assert.Equal(481, (await client.ReceiveFinalAsync()).StatusCode);
    }

    [Fact]
    public async Task Method_KnownButNotAllowed_Gets405WithAllow()
    {
        using var client = new UdpSipClient(server.UdpEndPoint);
        client.Send(SipText.Request("SUBSCRIBE", branch: "z9hG4bKsub", callId: "sub405"));

        var response = await client.ReceiveFinalAsync();

        Assert.Equal(405, response.StatusCode);
        Assert.Contains("OPTIONS", response.GetHeader(HeaderId.Allow), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bye_InNoDialog_Gets481()
    {
        using var client = new UdpSipClient(server.UdpEndPoint);
        client.Send(SipText.Request("BYE", branch: "z9hG4bKbye", callId: "bye481").Replace("To: <sip:bob@example.test>", "To: <sip:bob@example.test>;tag=x9", StringComparison.Ordinal));

        Assert.Equal(481, (await client.ReceiveFinalAsync()).StatusCode);
    }

    [Fact]
    public async Task MalformedRequest_WithReadableVia_Gets400NamingTheHeader()
    {
        using var client = new UdpSipClient(server.UdpEndPoint);
        client.Send(SipText.Request("OPTIONS", branch: "z9hG4bKbadcseq", callId: "badcseq").Replace("CSeq: 1 OPTIONS", "CSeq: one OPTIONS", StringComparison.Ordinal));

        var response = await client.ReceiveFinalAsync();

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("Bad CSeq", response.ReasonPhrase);
    }

    [Fact]
    public async Task Garbage_IsDroppedAndCountedAndServerGoesOn()
    {
        using var dropped = new MeterRecorder(server.Services.GetRequiredService<SipMetrics>().Meter);
        using var client = new UdpSipClient(server.UdpEndPoint);
        client.Send([0xff, 0x00, 0x13, 0x37]);
        client.Send("INVITE sip:x@example.test\nFrom: nobody\n\n");

        Assert.Null(await client.ReceiveAsync(300));
        client.Send(SipText.Request("OPTIONS", branch: "z9hG4bKafter", callId: "after-garbage"));
        Assert.Equal(200, (await client.ReceiveFinalAsync()).StatusCode);
        Assert.Equal(1, dropped.Total("b2bua_sip_messages_dropped|reason=unparseable"));
        Assert.Equal(1, dropped.Total("b2bua_sip_messages_dropped|reason=malformed_request"));
    }
}
