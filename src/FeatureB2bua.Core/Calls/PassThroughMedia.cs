namespace FeatureB2bua.Core.Calls;

/// <summary>No media anchor: SDP goes from leg to leg as it came, and RTP flows between the endpoints.</summary>
public sealed class PassThroughMedia : IMediaSessionFactory, IMediaSession
{
    public static readonly PassThroughMedia Instance = new();

    public IMediaSession Open(string callId) => this;

    public byte[] Pass(CallSide from, ReadOnlySpan<byte> sdp) => sdp.ToArray();

    public void Dispose()
    {
    }
}
