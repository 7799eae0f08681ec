using System.Buffers.Binary;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Media.HoldMusic;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Media.Tests.Anchor;

/// <summary>
/// A holds B with music: A's hold offer reaches B sendonly at our address (whatever form of hold A used), B's answer
/// reaches A with the direction A's offer called for, and B hears the music from the port its shaped SDP names.
/// </summary>
public sealed class HoldShapingTests : IDisposable
{
    private const string Holder = "192.0.2.10";
    private const string Held = "198.51.100.20";
    private static readonly string[] DirectionNames = ["sendrecv", "sendonly", "recvonly", "inactive"];

    private readonly ManualTimeProvider _clock = new();
    private readonly MediaAnchor _anchor;

    public HoldShapingTests() => _anchor = TestAnchor.Create(10700, 10799, _clock);

    public void Dispose() => _anchor.Dispose();

    [Theory]
    [InlineData(Holder, "sendonly")]
    [InlineData(Holder, "inactive")]
    [InlineData("0.0.0.0", "sendrecv")]
    [InlineData("0.0.0.0", "sendonly")]
    public void MusicOffer_ReachesTheHeldParty_SendonlyAtOurAddressAndItsPort(string address, string direction)
    {
        var session = _anchor.OpenCall();
        var toB = TestAnchor.PortOf(session.Pass(CallSide.A, Sdp.Audio(Holder, 49170)));
        session.Pass(CallSide.B, Sdp.Audio(Held, 30000));

        var shaped = session.Pass(CallSide.A, Sdp.Audio(address, 49170, direction, version: 2), HoldShaping.MusicOffer);

        Assert.Equal(["c=IN IP4 127.0.0.1"], TestAnchor.Lines(shaped, "c="));
        Assert.Equal(toB, TestAnchor.PortOf(shaped));
        Assert.Equal(["a=sendonly"], Directions(shaped));
        Assert.DoesNotContain("0.0.0.0", shaped, StringComparison.Ordinal);
    }

    [Fact]
    public void MusicOffer_ReplacesDirectionsAtSessionAndMediaLevel_AndEveryHoldAddress_LeavingDisabledStreamsAlone()
    {
        var session = _anchor.OpenCall();

        var shaped = session.Pass(CallSide.A, Sdp.Of(
            "v=0", $"o=phone 1 1 IN IP4 {Holder}", "s=-", "c=IN IP4 0.0.0.0", "t=0 0", "a=inactive",
            "m=audio 49170 RTP/AVP 0", "a=recvonly",
            "m=video 0 RTP/AVP 96",
            "m=audio 49180 RTP/AVP 8", "c=IN IP4 0.0.0.0"), HoldShaping.MusicOffer);

        Assert.Equal(["c=IN IP4 127.0.0.1", "c=IN IP4 127.0.0.1"], TestAnchor.Lines(shaped, "c="));
        Assert.Empty(Directions(SessionLevel(shaped)));
        var media = TestAnchor.Parse(shaped).MediaDescriptions;
        Assert.Equal([Sip.Sdp.MediaDirection.SendOnly, null, Sip.Sdp.MediaDirection.SendOnly], media.Select(m => m.Direction));
        Assert.Equal([true, false, true], media.Select(m => m.Port != 0));
    }

    [Fact]
    public void None_KeepsTheHoldAsTheHolderWroteIt()
    {
        var session = _anchor.OpenCall();

        var passed = session.Pass(CallSide.A, Sdp.Audio("0.0.0.0", 49170, "inactive"), HoldShaping.None);

        Assert.Equal(["c=IN IP4 0.0.0.0"], TestAnchor.Lines(passed, "c="));
        Assert.Equal(["a=inactive"], Directions(passed));
    }

    /// <summary>RFC 3264 §6.1, with c=0.0.0.0 read as "send nothing here" (§8.4).</summary>
    [Theory]
    [InlineData(Holder, "sendonly", "recvonly", "recvonly")]
    [InlineData(Holder, "inactive", "recvonly", "inactive")]
    [InlineData(Holder, "recvonly", "recvonly", "sendonly")]
    [InlineData("0.0.0.0", "sendrecv", "recvonly", "recvonly")]
    [InlineData("0.0.0.0", "sendonly", "recvonly", "recvonly")]
    [InlineData("0.0.0.0", "inactive", "recvonly", "inactive")]
    [InlineData(Holder, "sendrecv", "recvonly", "recvonly")]
    [InlineData(Holder, "sendrecv", "inactive", "inactive")]
    [InlineData(Holder, "sendrecv", "sendrecv", "sendrecv")]
    public void HolderAnswer_GivesTheHolderTheDirectionItsOfferCalledFor(string address, string offered, string answered, string expected)
    {
        var session = _anchor.OpenCall();
        session.Pass(CallSide.A, Sdp.Audio(Holder, 49170));
        var toA = TestAnchor.PortOf(session.Pass(CallSide.B, Sdp.Audio(Held, 30000)));
        session.Pass(CallSide.A, Sdp.Audio(address, 49170, offered, version: 2), HoldShaping.MusicOffer);

        var answer = session.Pass(CallSide.B, Sdp.Audio(Held, 30000, answered, version: 2), HoldShaping.HolderAnswer);

        Assert.Equal([$"a={expected}"], Directions(answer));
        Assert.Equal(["c=IN IP4 127.0.0.1"], TestAnchor.Lines(answer, "c="));
        Assert.Equal(toA, TestAnchor.PortOf(answer));
    }

    [Fact]
    public void HolderAnswer_SessionLevelDirection_MovesToEachStream_ThenTheHoldersAreSet()
    {
        var session = _anchor.OpenCall();
        session.Pass(CallSide.A, Sdp.Of(
            "v=0", $"o=phone 1 1 IN IP4 {Holder}", "s=-", $"c=IN IP4 {Holder}", "t=0 0",
            "m=audio 49170 RTP/AVP 0", "m=audio 49180 RTP/AVP 0", "a=sendonly"));

        var answer = session.Pass(CallSide.B, Sdp.Of(
            "v=0", $"o=phone 2 2 IN IP4 {Held}", "s=-", $"c=IN IP4 {Held}", "t=0 0", "a=inactive",
            "m=audio 30000 RTP/AVP 0", "m=audio 30010 RTP/AVP 0"), HoldShaping.HolderAnswer);

        Assert.Empty(Directions(SessionLevel(answer)));
        Assert.Equal([Sip.Sdp.MediaDirection.Inactive, Sip.Sdp.MediaDirection.RecvOnly], TestAnchor.Parse(answer).MediaDescriptions.Select(m => m.Direction));
    }

    [Fact]
    public void HolderAnswer_WhenTheHolderOfferedPlainSendrecv_LeavesTheAnswerAsItWas()
    {
        var session = _anchor.OpenCall();
        session.Pass(CallSide.A, Sdp.Audio(Holder, 49170));
        var unshaped = session.Pass(CallSide.B, Sdp.Audio(Held, 30000, "recvonly"));

        var shaped = session.Pass(CallSide.B, Sdp.Audio(Held, 30000, "recvonly"), HoldShaping.HolderAnswer);

        Assert.Equal(unshaped, shaped);
    }

    [Theory]
    [InlineData("127.0.0.1", "sendonly")]
    [InlineData("0.0.0.0", "sendrecv")]
    public async Task HeldParty_HearsTheMusic_FromThePortInItsShapedSdp(string holdAddress, string holdDirection)
    {
        using var call = AnchoredCall.Connect(_anchor);
        var shaped = call.Session.Pass(CallSide.A, Sdp.Audio(holdAddress, call.A.Port, holdDirection, version: 2), HoldShaping.MusicOffer);
        var toHolder = call.Session.Pass(CallSide.B, call.B.Sdp("recvonly", version: 2), HoldShaping.HolderAnswer);
        Assert.Equal(["a=recvonly"], Directions(toHolder));
        var musicPort = TestAnchor.PortOf(shaped);
        Assert.Equal(call.BFacing, musicPort);

        Assert.True(call.Session.PlayHoldMusic(CallSide.B, null));
        _clock.Advance(TimeSpan.FromMilliseconds(40));

        uint? firstTimestamp = null;
        for (var i = 0; i < 3; i++)
        {
            var (packet, fromPort) = await Phone.ReceiveAsync(call.B.Rtp);
            Assert.Equal(musicPort, fromPort);
            Assert.Equal(172, packet.Length);
            Assert.Equal(G711.PcmuPayloadType, packet[1] & 0x7F);
            var timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));
            firstTimestamp ??= timestamp;
            Assert.Equal(firstTimestamp.Value + (uint)(i * 160), timestamp);
        }

        await Phone.ExpectNothingAsync(call.B.Rtp);
    }

    [Fact]
    public async Task HolderAtTheHoldAddress_IsSentNothing_ThoughTheHeldPartyIsOfferedOurs()
    {
        using var call = AnchoredCall.Connect(_anchor);
        call.Session.Pass(CallSide.A, Sdp.Audio("0.0.0.0", call.A.Port, version: 2), HoldShaping.MusicOffer);
        call.Session.Pass(CallSide.B, call.B.Sdp("recvonly", version: 2), HoldShaping.HolderAnswer);

        Phone.Send(call.B.Rtp, call.BFacing, Packets.Rtp(1));

        await Phone.ExpectNothingAsync(call.A.Rtp);
    }

    [Theory]
    [InlineData(HoldShaping.None)]
    [InlineData(HoldShaping.MusicOffer)]
    [InlineData(HoldShaping.HolderAnswer)]
    public void PassThroughMedia_PassesTheSdpUnchanged_WhateverTheShaping(HoldShaping shaping)
    {
        var sdp = Sdp.Audio("0.0.0.0", 49170, "inactive");

        Assert.Equal(sdp, PassThroughMedia.Instance.Pass(CallSide.A, sdp, shaping));
    }

    private static string[] Directions(string sdp) =>
        [.. TestAnchor.Lines(sdp, "a=").Where(l => DirectionNames.Contains(l[2..]))];

    /// <summary>The lines above the first m= line.</summary>
    private static string SessionLevel(string sdp) => sdp[..sdp.IndexOf("m=", StringComparison.Ordinal)];
}
