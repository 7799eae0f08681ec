namespace FeatureB2bua.Core.Calls;

/// <summary>Which leg of a call: A, whose UAS we are, or B, whose UAC we are.</summary>
public enum CallSide : byte
{
    A,
    B,
}

/// <summary>
/// How <see cref="IMediaSession.TryPass"/> shapes the directions of a description on the way, for a call put on hold
/// with music: the held party is to keep a media path to the anchor, and the holder is to get the answer it asked for.
/// </summary>
public enum HoldShaping : byte
{
    /// <summary>Directions and hold addresses pass as the sender wrote them.</summary>
    None,

    /// <summary>
    /// A holder's offer (every active stream sendonly, inactive or at c=0.0.0.0) on its way to the party it holds,
    /// who is to hear hold music: every stream reaches that party sendonly at the anchor's real address, so it answers
    /// recvonly and keeps receiving from us (RFC 3264 §8.4's c=0.0.0.0 is turned into its direction form).
    /// </summary>
    MusicOffer,

    /// <summary>
    /// The held party's answer on its way back to the holder: each stream gets the direction the holder's last offer
    /// calls for (RFC 3264 §6.1), not the one the held party chose for its shaped offer.
    /// </summary>
    HolderAnswer,
}

/// <summary>
/// The media side of one call. Every session description that crosses from one leg to the other passes through
/// <see cref="TryPass"/>, so that the media anchor can put its own address and ports in and relay RTP;
/// <see cref="PassThroughMedia"/> hands SDP on unchanged. Disposed when the call ends, which gives its ports back.
/// </summary>
public interface IMediaSession : IDisposable
{
    /// <summary>
    /// The description <paramref name="from"/> sent, as the other leg is to receive it; false, with the reason, when
    /// it cannot be used (an unparseable c= or m= line, no codec left), which is a 488 on that leg (RFC 3261 §21.4.26).
    /// <paramref name="shaping"/> says whether it is a hold offer or the answer to one (see <see cref="HoldShaping"/>).
    /// </summary>
    bool TryPass(CallSide from, ReadOnlySpan<byte> sdp, HoldShaping shaping, out byte[] passed, out string? error);

    /// <summary>
    /// Answers <paramref name="from"/>'s offer in the server's own name (a star code, say: no other leg): one PCMU or
    /// PCMA stream at the anchor, which sends towards the party (tones) and relays nothing, every other stream
    /// rejected; false, with the reason ("no G.711 codec offered", or no anchor at all), which is a 488 for that party.
    /// </summary>
    bool TryAnswerLocally(CallSide from, ReadOnlySpan<byte> offer, out byte[] answer, out string? error);

    /// <summary>The call is answered: from now on media that stops flowing counts against it.</summary>
    void CallAnswered();

    /// <summary>Limits every offer and answer from here on to these encodings (by rtpmap name, e.g. PCMU); a route's choice.</summary>
    void RestrictCodecs(IReadOnlyList<string> encodings);

    /// <summary>
    /// Streams hold music to the party on <paramref name="towards"/> in place of what the other party sends it; false
    /// when that leg agreed no codec the music can be played in.
    /// </summary>
    bool PlayHoldMusic(CallSide towards, string? file);

    /// <summary>Stops what plays to the party on <paramref name="towards"/>, hold music or a tone, and lets the other party through again.</summary>
    void StopHoldMusic(CallSide towards);

    /// <summary>
    /// Plays a short confirmation tone once to the party on <paramref name="towards"/>, the way hold music is played,
    /// and returns how long it lasts, so the caller knows when it has been heard; null when that party agreed no G.711.
    /// </summary>
    TimeSpan? PlayConfirmationTone(CallSide towards);

    /// <summary>Packet counts and media health for the call's snapshot; null when nothing is anchored.</summary>
    MediaSnapshot? Snapshot();
}

/// <summary>What a media session tells its call.</summary>
public interface IMediaSessionEvents
{
    /// <summary>No RTP where RTP was expected for the configured time: the call is to end (CDR result media-timeout).</summary>
    void MediaTimedOut();

    /// <summary>
    /// The call's log scope, for what the session logs from its own timers (supervision), so those lines carry the
    /// call's id as the call's own do; null when there is none to enter or this flow is in it already.
    /// </summary>
    IDisposable? EnterLogScope();
}

/// <summary>Opens the media side of each new call.</summary>
public interface IMediaSessionFactory
{
    /// <summary>The call's media session; null when none can be had now (no ports free), which fails the call with 503.</summary>
    IMediaSession? Open(IMediaSessionEvents events);
}

/// <summary>Media of a call at one moment.</summary>
/// <param name="OneWay">The direction that is silent while the other flows ("A->B" or "B->A"), else null.</param>
public sealed record MediaSnapshot(
    long PacketsFromA,
    long PacketsFromB,
    long BytesFromA,
    long BytesFromB,
    string? OneWay,
    string? HoldMusicTowards);
