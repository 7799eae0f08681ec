using System.Buffers.Binary;
using System.Text;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Features;

/// <summary>
/// Hold and music on hold on the wire: what each party's SDP says, and the RTP the held party receives from the anchor
/// in one second of the server's clock (a fake one, so that a loaded machine cannot skew the count), with its payload
/// type and timestamp steps; resuming, holding both ways, and BYE while held.
/// </summary>
public sealed class HoldMusicTests
{
    [Fact]
    public async Task CallerHolds_TheCalleeHearsMusic_50PacketsASecond_Pcmu_TimestampsIn160s_AndResumingRestoresTheRelay()
    {
        var clock = new ManualTimeProvider();
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { } }, clock, "--Media:PortMin=11500", "--Media:PortMax=11599");
        var h = f.Call;
        using var alice = new RtpPeer(0xA);
        using var bob = new RtpPeer(0xB);
        var (bInvite, answer) = await CallMediaTests.AnswerWithMediaAsync(h, alice, bob);
        var toA = RtpPeer.MediaPort(answer.Body);
        var toB = RtpPeer.MediaPort(bInvite.Body);

        var held = await ReInviteAsync(h, answer, alice.Sdp("alice", "sendonly"), 2, bob, "recvonly");
        Assert.Contains("a=recvonly", Encoding.ASCII.GetString(held.Caller200.Body), StringComparison.Ordinal);
        Assert.Contains("a=sendonly", Encoding.ASCII.GetString(held.BInvite.Body), StringComparison.Ordinal);
        Assert.Equal(toB, RtpPeer.MediaPort(held.BInvite.Body));

        // What the holder sends meanwhile is held back: bob hears only the music.
        alice.SendTo(toA, alice.Packet(1));
        AssertMusic((await OneSecondOfMusicAsync(clock, bob))[0], toB, payloadType: 0);
        Assert.Equal("Held", await h.ActiveCallStateAsync());

        await ReInviteAsync(h, answer, alice.Sdp("alice"), 3, bob, "sendrecv");
        await bob.ReceiveAsync(0, TimeSpan.FromMilliseconds(200));
        var spoken = alice.Packet(7);
        alice.SendTo(toA, spoken);
        var relayed = await bob.ReceiveAsync(1, TimeSpan.FromMilliseconds(300));
        Assert.Equal([spoken], relayed.Select(p => p.Packet));
        Assert.Equal("Connected", await h.ActiveCallStateAsync());

        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye", cseq: 10));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        Assert.Equal(["hold"], FeatureHarness.FeaturesOf(await h.AssertEndedAsync("answered")));
    }

    [Fact]
    public async Task CallerHoldsWithInactive_TheCalleeIsOfferedSendonlyAtOurAddress_TheCallerGetsInactive_AndMusicInPcma()
    {
        var clock = new ManualTimeProvider();
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { } }, clock, "--Media:PortMin=11600", "--Media:PortMax=11699");
        var h = f.Call;
        using var alice = new RtpPeer(0xA);
        using var bob = new RtpPeer(0xB);
        var (bInvite, answer) = await CallMediaTests.AnswerWithMediaAsync(h, alice, bob);

        var holdOffer = Pcma(alice.Sdp("alice", "inactive")).Replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0", StringComparison.Ordinal);
        var held = await ReInviteAsync(h, answer, holdOffer, 2, bob, "recvonly", pcma: true);

        var offered = Encoding.ASCII.GetString(held.BInvite.Body);
        Assert.Contains("a=sendonly", offered, StringComparison.Ordinal);
        Assert.Contains("c=IN IP4 127.0.0.1", offered, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0", offered, StringComparison.Ordinal);
        Assert.Contains("a=inactive", Encoding.ASCII.GetString(held.Caller200.Body), StringComparison.Ordinal);
        AssertMusic((await OneSecondOfMusicAsync(clock, bob))[0], RtpPeer.MediaPort(bInvite.Body), payloadType: 8);

        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye", cseq: 10));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task BothHold_EachHearsMusic_ByeWhileHeldEndsTheCall_AndEveryPortComesBack()
    {
        var clock = new ManualTimeProvider();
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { } }, clock, "--Media:PortMin=11700", "--Media:PortMax=11799");
        var h = f.Call;
        using var ports = new MeterRecorder(h.Server.Services.GetRequiredService<MediaMetrics>().Meter);
        using var alice = new RtpPeer(0xA);
        using var bob = new RtpPeer(0xB);
        var (bInvite, answer) = await CallMediaTests.AnswerWithMediaAsync(h, alice, bob);

        await ReInviteAsync(h, answer, alice.Sdp("alice", "sendonly"), 2, bob, "recvonly");

        // Bob, held, holds alice in turn (inactive: he neither sends nor wants media): now alice hears music as well.
        h.Callee.Send(h.CalleeRequest("INVITE", bInvite, bInvite, cseq: 1, body: bob.Sdp("bob", "inactive").Replace("o=bob 1 1", "o=bob 1 5", StringComparison.Ordinal)));
        var aHold = await CallHarness.NextRequestAsync(h.Caller, "INVITE");
        Assert.Contains("a=sendonly", Encoding.ASCII.GetString(aHold.Body), StringComparison.Ordinal);
        h.CallerResponds(aHold, 200, "OK", body: alice.Sdp("alice", "recvonly").Replace("o=alice 1 1", "o=alice 1 9", StringComparison.Ordinal));
        var bobs200 = await CallHarness.NextResponseAsync(h.Callee, 200, "INVITE");
        Assert.Contains("a=inactive", Encoding.ASCII.GetString(bobs200.Body), StringComparison.Ordinal);
        var music = await OneSecondOfMusicAsync(clock, alice, bob);
        AssertMusic(music[0], RtpPeer.MediaPort(answer.Body), payloadType: 0);
        AssertMusic(music[1], RtpPeer.MediaPort(bInvite.Body), payloadType: 0);
        Assert.Equal("Held", await h.ActiveCallStateAsync());

        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye", cseq: 10));
        await CallHarness.NextResponseAsync(h.Caller, 200, "BYE");
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        Assert.Equal(["hold", "hold"], FeatureHarness.FeaturesOf(await h.AssertEndedAsync("answered")));
        ports.Observe();
        Assert.Equal(100, ports.Total("b2bua_media_ports_free"));
    }

    [Fact]
    public async Task HolderWithMusicOnHoldOff_TheHoldIsRelayedAsItCame_AndNoMusicPlays()
    {
        var clock = new ManualTimeProvider();
        await using var f = await FeatureHarness.StartAsync(new() { ["alice"] = new { musicOnHold = false } }, clock, "--Media:PortMin=11800", "--Media:PortMax=11899");
        var h = f.Call;
        using var alice = new RtpPeer(0xA);
        using var bob = new RtpPeer(0xB);
        var (_, answer) = await CallMediaTests.AnswerWithMediaAsync(h, alice, bob);

        var held = await ReInviteAsync(h, answer, alice.Sdp("alice", "inactive"), 2, bob, "inactive");

        Assert.Contains("a=inactive", Encoding.ASCII.GetString(held.BInvite.Body), StringComparison.Ordinal);
        Assert.Empty((await OneSecondOfMusicAsync(clock, bob))[0]);
        Assert.Equal("Held", await h.ActiveCallStateAsync());
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye", cseq: 10));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        Assert.Empty(FeatureHarness.FeaturesOf(await h.AssertEndedAsync("answered")));
    }

    /// <summary>What each peer receives while the server's clock moves on by one second (what came before is drained first).</summary>
    private static async Task<List<(byte[] Packet, int FromPort)>[]> OneSecondOfMusicAsync(ManualTimeProvider clock, params RtpPeer[] peers)
    {
        foreach (var peer in peers)
        {
            await peer.ReceiveAsync(0, TimeSpan.FromMilliseconds(100));
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        return await Task.WhenAll(peers.Select(p => p.ReceiveAsync(45, TimeSpan.FromMilliseconds(300))));
    }

    /// <summary>
    /// 50 packets a second within 10 %, all from the port the held party was given, of one SSRC with consecutive
    /// sequence numbers, the payload type of its codec and timestamps 160 apart (20 ms at 8 kHz).
    /// </summary>
    private static void AssertMusic(List<(byte[] Packet, int FromPort)> received, int fromPort, int payloadType)
    {
        Assert.InRange(received.Count, 45, 55);
        Assert.All(received, p => Assert.Equal(fromPort, p.FromPort));
        Assert.All(received, p => Assert.Equal(payloadType, p.Packet[1] & 0x7F));
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(received[0].Packet.AsSpan(8));
        for (var i = 1; i < received.Count; i++)
        {
            var (previous, packet) = (received[i - 1].Packet, received[i].Packet);
            Assert.Equal(ssrc, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8)));
            Assert.Equal((ushort)(BinaryPrimitives.ReadUInt16BigEndian(previous.AsSpan(2)) + 1), BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)));
            Assert.Equal(160u, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4)) - BinaryPrimitives.ReadUInt32BigEndian(previous.AsSpan(4)));
        }
    }

    private static string Pcma(string sdp) =>
        sdp.Replace("RTP/AVP 0 101", "RTP/AVP 8 101", StringComparison.Ordinal).Replace("a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", StringComparison.Ordinal);

    /// <summary>The caller re-INVITEs with <paramref name="offer"/>; bob answers with his SDP in <paramref name="bobDirection"/>; both ACKs are done.</summary>
    private static async Task<(SipMessage BInvite, SipMessage Caller200)> ReInviteAsync(
        CallHarness h, SipMessage answer, string offer, uint cseq, RtpPeer bob, string bobDirection, bool pcma = false)
    {
        var branch = "z9hG4bKre" + cseq;
        h.Caller.Send(h.CallerRequest("INVITE", answer, branch, body: offer.Replace("o=alice 1 1", $"o=alice 1 {cseq}", StringComparison.Ordinal), cseq: cseq));
        var bReInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        var bobSdp = bob.Sdp("bob", bobDirection).Replace("o=bob 1 1", $"o=bob 1 {cseq}", StringComparison.Ordinal);
        h.CalleeResponds(bReInvite, 200, "OK", body: pcma ? Pcma(bobSdp) : bobSdp);
        await CallHarness.NextRequestAsync(h.Callee, "ACK");
        var response = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        h.Caller.Send(h.CallerRequest("ACK", response, branch + "ack", cseq: cseq));
        await h.SettleAsync();
        return (bReInvite, response);
    }
}
