using System.Net.Sockets;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.HoldMusic;
using FeatureB2bua.Sip.Sdp;

namespace FeatureB2bua.Media.Anchor;

/// <summary>
/// The media of one call through the anchor: per m= line a <see cref="MediaStream"/>, the SDP each party sent, the o=
/// line each party gets from us, and the supervision that notices silent calls and one-way audio.
/// </summary>
internal sealed class AnchoredSession : IMediaSession
{
    private readonly MediaAnchor _anchor;
    private readonly IMediaSessionEvents _events;
    private readonly object _gate = new();
    private readonly List<MediaStream?> _streams = [];
    private readonly Party _a = new(CallSide.A);
    private readonly Party _b = new(CallSide.B);
    private string[]? _codecs;
    private bool _answered;
    private bool _timedOut;
    private bool _disposed;
    private string? _oneWay;

    public AnchoredSession(MediaAnchor anchor, IMediaSessionEvents events, MediaStream first)
    {
        _anchor = anchor;
        _events = events;
        _streams.Add(first);
    }

    /// <summary>The call's log scope, for what the anchor logs about this session from its own timer.</summary>
    public IDisposable? EnterLogScope() => _events.EnterLogScope();

    public bool TryPass(CallSide from, ReadOnlySpan<byte> sdp, HoldShaping shaping, out byte[] passed, out string? error)
    {
        passed = [];
        if (!SdpParser.TryParse(sdp, out var description, out error))
        {
            return false;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                error = "the call has ended";
                return false;
            }

            if (!SdpAnchoring.TryReadRemotes(description, _anchor.Family, out var remotes, out error))
            {
                return false;
            }

            var sender = PartyOf(from);
            var receiver = PartyOf(from == CallSide.A ? CallSide.B : CallSide.A);
            var localPorts = new int?[remotes.Length];
            for (var i = 0; i < remotes.Length; i++)
            {
                if (remotes[i] is not null && StreamAt(i) is { } stream)
                {
                    localPorts[i] = stream.Facing(receiver.Side).Rtp.Port;
                }
            }

            if (!SdpAnchoring.TryRewrite(description, _anchor.Advertised, localPorts, _codecs, out error))
            {
                return false;
            }

            switch (shaping)
            {
                case HoldShaping.MusicOffer:
                    SdpAnchoring.ShapeMusicOffer(description, _anchor.Advertised);
                    break;
                case HoldShaping.HolderAnswer:
                    // The receiver is the holder, and its streams are still those of the offer this answers.
                    SdpAnchoring.SetDirections(description, [.. receiver.Remotes.Select(r => r is null ? null : SdpAnchoring.AnswerTo(r.Wanted))]);
                    break;
            }

            UseRemotes(sender, remotes);
            passed = receiver.Stamp(description, _anchor.Advertised);
            return true;
        }
    }

    /// <summary>
    /// Answers <paramref name="from"/>'s offer ourselves, for a call no one else answers: one G.711 stream on our port
    /// facing that party, every other m= line rejected. We only send (a tone), so we answer sendonly, or what an offer
    /// that does not want to receive leaves us (RFC 3264 §6.1). No route's codec limit applies: nothing is relayed.
    /// </summary>
    public bool TryAnswerLocally(CallSide from, ReadOnlySpan<byte> offer, out byte[] answer, out string? error)
    {
        answer = [];
        if (!SdpParser.TryParse(offer, out var description, out error))
        {
            return false;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                error = "the call has ended";
                return false;
            }

            if (!SdpAnchoring.TryReadRemotes(description, _anchor.Family, out var remotes, out error)
                || !SdpAnchoring.TryChooseG711(description, remotes, out var index, out var formats, out error))
            {
                return false;
            }

            if (StreamAt(index) is not { } stream)
            {
                error = "no media ports free";
                return false;
            }

            var party = PartyOf(from);
            var remote = remotes[index]! with { Formats = formats };
            var direction = SdpAnchoring.AnswerTo(remote.Wanted) ?? MediaDirection.SendOnly;
            var local = SdpAnchoring.LocalAnswer(description, _anchor.Advertised, index, stream.Facing(from).Rtp.Port, formats, direction);
            var accepted = new RemoteStream?[remotes.Length];
            accepted[index] = remote;
            UseRemotes(party, accepted);
            answer = party.Stamp(local, _anchor.Advertised);
            return true;
        }
    }

    public void CallAnswered()
    {
        lock (_gate)
        {
            _answered = true;
            RestartSupervision();
        }
    }

    public void RestrictCodecs(IReadOnlyList<string> encodings)
    {
        lock (_gate)
        {
            _codecs = [.. encodings];
        }
    }

    /// <summary>
    /// Music to the party on <paramref name="towards"/> out of the port it already receives on, in the first of PCMU or
    /// PCMA its SDP lists; what the other party sends it is held back meanwhile. A file that cannot be played gives the
    /// default tune rather than silence.
    /// </summary>
    public bool PlayHoldMusic(CallSide towards, string? file)
    {
        lock (_gate)
        {
            var party = PartyOf(towards);
            if (_disposed || FindG711Stream(party) is not (var index, var payloadType))
            {
                return false;
            }

            Play(party, index, _anchor.HoldMusic(file), payloadType, once: false);
            return true;
        }
    }

    public void StopHoldMusic(CallSide towards)
    {
        lock (_gate)
        {
            PartyOf(towards).StopMusic();
        }
    }

    /// <summary>
    /// The confirmation tone to the party on <paramref name="towards"/>, like hold music (which it replaces) but once:
    /// when it has played, what the other party sends gets through again.
    /// </summary>
    public TimeSpan? PlayConfirmationTone(CallSide towards)
    {
        lock (_gate)
        {
            var party = PartyOf(towards);
            if (_disposed || FindG711Stream(party) is not (var index, var payloadType))
            {
                return null;
            }

            Play(party, index, ConfirmationTone.Track, payloadType, once: true);
            return ConfirmationTone.Track.Length;
        }
    }

    public MediaSnapshot? Snapshot()
    {
        lock (_gate)
        {
            var music = _a.PlaysMusic ? "A" : _b.PlaysMusic ? "B" : null;
            var (fromA, fromB) = (RelayedFrom(CallSide.A), RelayedFrom(CallSide.B));
            return new MediaSnapshot(fromA.Packets, fromB.Packets, fromA.Bytes, fromB.Bytes, _oneWay, music);
        }
    }

    /// <summary>Packets and bytes this call relayed, for the anchor's totals.</summary>
    public (long Packets, long Bytes) Relayed()
    {
        lock (_gate)
        {
            return RelayedBothWays();
        }
    }

    /// <summary>
    /// One look at the call's RTP, once a second: which expected directions moved since the last look. An answered call
    /// whose every expected direction has been silent for the inactivity timeout is reported to the call, which hangs
    /// up; a direction silent while the other flows is one-way audio, reported and counted once per episode.
    /// </summary>
    public void Supervise(DateTimeOffset now)
    {
        var timedOut = false;
        lock (_gate)
        {
            if (_disposed || !_answered || _timedOut)
            {
                return;
            }

            var anyExpected = false;
            var allSilent = true;
            string? oneWay = null;
            var inactivity = TimeSpan.FromSeconds(_anchor.Options.InactivityTimeoutSeconds);
            var oneWayAfter = TimeSpan.FromSeconds(_anchor.Options.OneWayAfterSeconds);
            for (var i = 0; i < _streams.Count; i++)
            {
                if (_streams[i] is not { } stream)
                {
                    continue;
                }

                var (fromA, fromB) = (Expected(RemoteAt(_a, i), RemoteAt(_b, i)), Expected(RemoteAt(_b, i), RemoteAt(_a, i)));
                if (!fromA && !fromB)
                {
                    continue;
                }

                anyExpected = true;
                var silentA = Observe(stream.A, now);
                var silentB = Observe(stream.B, now);
                allSilent &= (!fromA || silentA >= inactivity) && (!fromB || silentB >= inactivity);
                if (fromA && fromB && _anchor.Options.OneWayAfterSeconds > 0)
                {
                    oneWay ??= silentA >= oneWayAfter && silentB < oneWayAfter ? "A->B" : silentB >= oneWayAfter && silentA < oneWayAfter ? "B->A" : null;
                }
            }

            if (oneWay != _oneWay)
            {
                _oneWay = oneWay;
                _anchor.OneWayChanged(oneWay);
            }

            if (anyExpected && allSilent && _anchor.Options.InactivityTimeoutSeconds > 0)
            {
                _timedOut = timedOut = true;
            }
        }

        if (timedOut)
        {
            // Outside our lock: the call takes its own lock and then calls back into this session to end it.
            _anchor.TimedOut();
            _events.MediaTimedOut();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var (packets, bytes) = RelayedBothWays();
            _disposed = true;
            _a.StopMusic();
            _b.StopMusic();
            foreach (var stream in _streams)
            {
                stream?.Dispose();
            }

            _anchor.Closed(this, packets, bytes);
        }
    }

    /// <summary>
    /// Whether <paramref name="sender"/> is expected to send RTP to <paramref name="receiver"/>: only a sendrecv party
    /// is (RFC 3264 §6.1; the sendonly side of a hold often sends nothing, or its own music), and only to a party that
    /// takes media (sendrecv or recvonly) at a real address.
    /// </summary>
    private static bool Expected(RemoteStream? sender, RemoteStream? receiver) =>
        sender is { Rtp: not null, Direction: MediaDirection.SendRecv }
        && receiver is { Rtp: not null, Direction: MediaDirection.SendRecv or MediaDirection.RecvOnly };

    private static RemoteStream? RemoteAt(Party party, int index) => index < party.Remotes.Length ? party.Remotes[index] : null;

    /// <summary>How long this party's RTP has been silent, moving its last-active time if packets came since the last look.</summary>
    private static TimeSpan Observe(MediaPair pair, DateTimeOffset now)
    {
        var count = pair.Rtp.Received;
        if (count != pair.SeenCount)
        {
            pair.SeenCount = count;
            pair.LastActive = now;
        }

        return now - pair.LastActive;
    }

    /// <summary>Silence is counted from now: after the answer and after every new description, nobody is late yet.</summary>
    private void RestartSupervision()
    {
        var now = _anchor.Time.GetUtcNow();
        foreach (var stream in _streams)
        {
            if (stream is not null)
            {
                stream.A.LastActive = stream.B.LastActive = now;
                stream.A.SeenCount = stream.A.Rtp.Received;
                stream.B.SeenCount = stream.B.Rtp.Received;
            }
        }
    }

    private Party PartyOf(CallSide side) => side == CallSide.A ? _a : _b;

    /// <summary>
    /// Starts <paramref name="track"/> to the party out of our RTP port of stream <paramref name="index"/> facing it, in
    /// place of whatever played there; that port sends nothing of the other party's meanwhile.
    /// </summary>
    private void Play(Party party, int index, HoldMusicTrack track, byte payloadType, bool once)
    {
        party.StopMusic();
        var port = _streams[index]!.Facing(party.Side).Rtp;
        port.Muted = true;
        HoldMusicPlayer? player = null;
        player = new HoldMusicPlayer(track, payloadType, _anchor.Playout, port.SendToPeer, once ? () => Played(party, player!) : null);
        party.Music = player;
        party.MusicPort = port;
        party.Tone = once;
        player.Start();
    }

    /// <summary>A tone has played out: the other party gets through again, unless something else plays to the party by now.</summary>
    private void Played(Party party, HoldMusicPlayer tone)
    {
        lock (_gate)
        {
            if (party.Music == tone)
            {
                party.StopMusic();
            }
        }
    }

    /// <summary>
    /// What <paramref name="sender"/>'s latest description says: where each of our ports facing it sends, and what
    /// packets it takes; supervision starts counting afresh.
    /// </summary>
    private void UseRemotes(Party sender, RemoteStream?[] remotes)
    {
        for (var i = 0; i < _streams.Count; i++)
        {
            if (_streams[i] is not { } stream)
            {
                continue;
            }

            var remote = i < remotes.Length ? remotes[i] : null;
            var facing = stream.Facing(sender.Side);
            facing.Rtp.Kind = remote?.Kind ?? PacketKind.Rtp;
            facing.Rtcp.Kind = remote?.Kind == PacketKind.Any ? PacketKind.Any : PacketKind.Rtcp;
            facing.Rtp.SetRemote(remote?.Rtp);
            facing.Rtcp.SetRemote(remote?.Rtcp);
        }

        sender.Remotes = remotes;
        RestartSupervision();
    }

    /// <summary>The first anchored RTP stream the party receives PCMU or PCMA on (RFC 3551 static types 0 and 8), and which.</summary>
    private (int Index, byte PayloadType)? FindG711Stream(Party party)
    {
        for (var i = 0; i < party.Remotes.Length && i < _streams.Count; i++)
        {
            if (_streams[i] is not null && party.Remotes[i] is { Kind: PacketKind.Rtp } remote
                && remote.Formats.FirstOrDefault(f => f is "0" or "8") is { } format)
            {
                return (i, format == "0" ? G711.PcmuPayloadType : G711.PcmaPayloadType);
            }
        }

        return null;
    }

    /// <summary>The stream of m= line <paramref name="index"/>, taking ports for it on first use; null when none are free.</summary>
    private MediaStream? StreamAt(int index)
    {
        while (_streams.Count <= index)
        {
            _streams.Add(_anchor.TryOpenStream());
        }

        return _streams[index] ??= _anchor.TryOpenStream();
    }

    private (long Packets, long Bytes) RelayedBothWays()
    {
        var (fromA, fromB) = (RelayedFrom(CallSide.A), RelayedFrom(CallSide.B));
        return (fromA.Packets + fromB.Packets, fromA.Bytes + fromB.Bytes);
    }

    /// <summary>What the party on <paramref name="side"/> sent that was relayed, RTP and RTCP of every stream.</summary>
    private (long Packets, long Bytes) RelayedFrom(CallSide side)
    {
        var (packets, bytes) = (0L, 0L);
        foreach (var stream in _streams)
        {
            if (stream is not null)
            {
                var pair = stream.Facing(side);
                packets += pair.Rtp.RelayedPackets + pair.Rtcp.RelayedPackets;
                bytes += pair.Rtp.RelayedBytes + pair.Rtcp.RelayedBytes;
            }
        }

        return (packets, bytes);
    }

    /// <summary>One party: the streams its last SDP described, and the o= line of the SDP it gets from us.</summary>
    private sealed class Party(CallSide side)
    {
        private readonly string _sessionId = Random.Shared.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
        private ulong _version = (ulong)Random.Shared.Next(1, int.MaxValue);
        private byte[]? _lastSent;

        public CallSide Side { get; } = side;

        public RemoteStream?[] Remotes { get; set; } = [];

        /// <summary>Hold music or a tone playing to this party, and the port it plays from (muted for the other party meanwhile).</summary>
        public HoldMusicPlayer? Music { get; set; }

        public MediaPort? MusicPort { get; set; }

        /// <summary>What plays is a tone, which ends by itself and is not hold music to the call's snapshot.</summary>
        public bool Tone { get; set; }

        public bool PlaysMusic => Music is not null && !Tone;

        public void StopMusic()
        {
            Music?.Dispose();
            Music = null;
            Tone = false;
            if (MusicPort is { } port)
            {
                port.Muted = false;
                MusicPort = null;
            }
        }

        /// <summary>
        /// Our own o= line (RFC 8866 §5.2): one session id per party for the whole call, and a version that goes up
        /// whenever what it receives differs from the last (RFC 3264 §8), so the party's idea of the session holds
        /// however the other leg's origin changes.
        /// </summary>
        public byte[] Stamp(SessionDescription description, System.Net.IPAddress ours)
        {
            var addrType = ours.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
            description.Origin = new SdpOrigin("-", _sessionId, _version, "IN", addrType, ours.ToString());
            var bytes = SdpWriter.ToArray(description);
            if (_lastSent is not null && !bytes.AsSpan().SequenceEqual(_lastSent))
            {
                _version++;
                description.Origin = description.Origin with { SessionVersion = _version };
                bytes = SdpWriter.ToArray(description);
            }

            _lastSent = bytes;
            return bytes;
        }
    }
}
