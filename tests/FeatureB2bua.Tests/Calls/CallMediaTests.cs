using System.Text;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Calls;

/// <summary>The media anchor inside a call: RTP of both phones through our ports, and what ends or refuses a call on media grounds.</summary>
public sealed class CallMediaTests
{
    private const int Packets = 50;

    [Fact]
    public async Task Rtp_FlowsBothWaysThroughTheAnchor_EachPhoneGetsExactlyTheOthersPackets_AndPortsComeBackAfterBye()
    {
        await using var h = await CallHarness.StartAsync("--Media:PortMin=11000", "--Media:PortMax=11099");
        using var ports = new MeterRecorder(h.Server.Services.GetRequiredService<MediaMetrics>().Meter);
        using var alice = new RtpPeer(0xA11CE);
        using var bob = new RtpPeer(0xB0B);
        var (bInvite, answer) = await AnswerWithMediaAsync(h, alice, bob);

        // Neither phone learns the other's media address: each sends to a port of ours.
        var toB = RtpPeer.MediaPort(bInvite.Body);
        var toA = RtpPeer.MediaPort(answer.Body);
        Assert.DoesNotContain(alice.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(bInvite.Body), StringComparison.Ordinal);
        Assert.DoesNotContain(bob.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(answer.Body), StringComparison.Ordinal);
        Assert.NotEqual(toA, toB);
        var fromAlice = Enumerable.Range(0, Packets).Select(alice.Packet).ToList();
        var fromBob = Enumerable.Range(0, Packets).Select(bob.Packet).ToList();
        for (var i = 0; i < Packets; i++)
        {
            alice.SendTo(toA, fromAlice[i]);
            bob.SendTo(toB, fromBob[i]);
        }

        var atBob = await bob.ReceiveAsync(Packets, TimeSpan.FromMilliseconds(300));
        var atAlice = await alice.ReceiveAsync(Packets, TimeSpan.FromMilliseconds(300));
        Assert.Equal(fromAlice, atBob.Select(p => p.Packet));
        Assert.Equal(fromBob, atAlice.Select(p => p.Packet));
        Assert.All(atBob, p => Assert.Equal(toB, p.FromPort));
        Assert.All(atAlice, p => Assert.Equal(toA, p.FromPort));

        var calls = await h.Server.Http.GetStringAsync(new Uri("/api/calls", UriKind.Relative));
        Assert.Contains($"\"packetsFromA\":{Packets}", calls, StringComparison.Ordinal);
        Assert.Contains($"\"packetsFromB\":{Packets}", calls, StringComparison.Ordinal);

        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        await h.AssertEndedAsync("answered");
        ports.Observe();
        Assert.Equal(100, ports.Total("b2bua_media_ports_free"));
        Assert.Equal(0, ports.Total("b2bua_media_sessions_active"));
        Assert.Equal(2 * Packets, ports.Total("b2bua_rtp_packets_relayed"));
    }

    [Fact]
    public async Task SilentMedia_PastTheInactivityTimeout_HangsUpBothLegs_WithCdrMediaTimeout()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock, "--Media:InactivityTimeoutSeconds=30", "--Media:PortMin=11100", "--Media:PortMax=11199");
        using var alice = new RtpPeer(1);
        using var bob = new RtpPeer(2);
        await AnswerWithMediaAsync(h, alice, bob);
        await h.SettleAsync();

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("Connected", await h.ActiveCallStateAsync());
        clock.Advance(TimeSpan.FromSeconds(2));
        var aBye = await CallHarness.NextRequestAsync(h.Caller, "BYE");
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.CallerResponds(aBye, 200, "OK");
        h.CalleeResponds(bBye, 200, "OK");
        await h.AssertEndedAsync("media-timeout");
    }

    [Fact]
    public async Task CallOnHold_IsNotTimedOut_ForSilence()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CallHarness.StartAsync(clock, "--Media:InactivityTimeoutSeconds=30", "--Media:PortMin=11200", "--Media:PortMax=11299");
        using var alice = new RtpPeer(1);
        using var bob = new RtpPeer(2);
        var (_, answer) = await AnswerWithMediaAsync(h, alice, bob);

        h.Caller.Send(h.CallerRequest("INVITE", answer, "z9hG4bKhold", body: alice.Sdp("alice", "sendonly").Replace("o=alice 1 1", "o=alice 1 2", StringComparison.Ordinal), cseq: 2));
        var bHold = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        Assert.Contains("a=sendonly", Encoding.ASCII.GetString(bHold.Body), StringComparison.Ordinal);
        h.CalleeResponds(bHold, 200, "OK", body: bob.Sdp("bob", "recvonly").Replace("o=bob 1 1", "o=bob 1 2", StringComparison.Ordinal));
        var held = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        h.Caller.Send(h.CallerRequest("ACK", held, "z9hG4bKack2", cseq: 2));
        await h.SettleAsync();

        clock.Advance(TimeSpan.FromSeconds(120));
        await h.SettleAsync();
        Assert.Equal("Held", await h.ActiveCallStateAsync());
    }

    [Fact]
    public async Task Invite_WhoseCLineIsNoAddress_Gets488WithTheReason()
    {
        await using var h = await CallHarness.StartAsync("--Media:PortMin=11300", "--Media:PortMax=11399");
        h.Caller.Send(h.Invite(body: CallHarness.Sdp.Replace("c=IN IP4 198.51.100.1", "c=IN IP4 no-such-address", StringComparison.Ordinal)));
        var refused = await CallHarness.NextResponseAsync(h.Caller, 488);
        Assert.Contains("no-such-address", refused.GetHeader(HeaderId.Warning), StringComparison.Ordinal);
        await h.AssertEndedAsync("failed");
        Assert.Null(await h.Callee.ReceiveAsync(200));
    }

    [Fact]
    public async Task NoMediaPortsLeft_TheNextCallGets503_AndTheFirstCallIsUntouched()
    {
        // Two pairs: one call's worth.
        await using var h = await CallHarness.StartAsync("--Media:PortMin=11400", "--Media:PortMax=11403");
        using var metrics = new MeterRecorder(h.Server.Services.GetRequiredService<MediaMetrics>().Meter);
        var (_, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        var second = h.Invite(branch: "z9hG4bKsecond").Replace(h.CallId, "second-call", StringComparison.Ordinal);
        h.Caller.Send(second);
        var refused = await CallHarness.NextResponseAsync(h.Caller, 503);
        Assert.Equal("second-call", refused.CallId);
        Assert.Equal(1, metrics.Total("b2bua_media_ports_exhausted"));
        Assert.Equal("Connected", await h.ActiveCallStateAsync());
    }

    /// <summary>Alice calls Bob, each offering its own media socket; returns what Bob got and what Alice got, after both ACKs.</summary>
    internal static async Task<(SipMessage BInvite, SipMessage Answer)> AnswerWithMediaAsync(CallHarness h, RtpPeer alice, RtpPeer bob)
    {
        h.Caller.Send(h.Invite(body: alice.Sdp("alice")));
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 200, "OK", body: bob.Sdp("bob"));
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200);
        await CallHarness.NextRequestAsync(h.Callee, "ACK");
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        return (bInvite, answer);
    }
}
