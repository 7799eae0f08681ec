namespace FeatureB2bua.Core.Calls;

/// <summary>Which leg of a call: A, whose UAS we are, or B, whose UAC we are.</summary>
public enum CallSide : byte
{
    A,
    B,
}

/// <summary>
/// The media side of one call. Every session description that crosses from one leg to the other passes through
/// <see cref="Pass"/>, so that a media anchor can put its own address and ports in and relay RTP (the
/// media-anchor issue); <see cref="PassThroughMedia"/> hands SDP on unchanged. Disposed when the call ends.
/// </summary>
public interface IMediaSession : IDisposable
{
    /// <summary>The description <paramref name="from"/> sent, as the other leg is to receive it.</summary>
    byte[] Pass(CallSide from, ReadOnlySpan<byte> sdp);
}

/// <summary>Opens the media side of each new call.</summary>
public interface IMediaSessionFactory
{
    IMediaSession Open(string callId);
}
