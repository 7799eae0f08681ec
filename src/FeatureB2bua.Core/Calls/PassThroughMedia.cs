namespace FeatureB2bua.Core.Calls;

/// <summary>
/// No media anchor: SDP goes from leg to leg as it came, whatever the hold shaping (without an anchor there is no music
/// to keep a path to), and RTP flows between the endpoints.
/// </summary>
public sealed class PassThroughMedia : IMediaSessionFactory, IMediaSession
{
    public static readonly PassThroughMedia Instance = new();

    public IMediaSession Open(IMediaSessionEvents events) => this;

    public bool TryPass(CallSide from, ReadOnlySpan<byte> sdp, HoldShaping shaping, out byte[] passed, out string? error)
    {
        passed = sdp.ToArray();
        error = null;
        return true;
    }

    /// <summary>Without an anchor there is nobody here to send or receive media, so no offer can be answered locally.</summary>
    public bool TryAnswerLocally(CallSide from, ReadOnlySpan<byte> offer, out byte[] answer, out string? error)
    {
        answer = [];
        error = "no media anchor";
        return false;
    }

    public void CallAnswered()
    {
    }

    public void RestrictCodecs(IReadOnlyList<string> encodings)
    {
    }

    public bool PlayHoldMusic(CallSide towards, string? file) => false;

    public void StopHoldMusic(CallSide towards)
    {
    }

    public TimeSpan? PlayConfirmationTone(CallSide towards) => null;

    public MediaSnapshot? Snapshot() => null;

    public void Dispose()
    {
    }
}
