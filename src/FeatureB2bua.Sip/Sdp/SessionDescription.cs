using System.Text;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// A parsed SDP body (RFC 8866). Everything the parser accepted is kept, so that writing it out
/// again reproduces lines this code does not interpret; typed members are views on top.
/// </summary>
public sealed class SessionDescription
{
    public SessionDescription(SdpOrigin origin, string sessionName)
    {
        Origin = origin;
        SessionName = sessionName;
    }

    /// <summary>v=; RFC 8866 §5.1 defines only version 0.</summary>
    public const int Version = 0;

    public SdpOrigin Origin
    {
        get;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    }

    /// <summary>s=, kept exactly, including the single space some peers send for "no name".</summary>
    public string SessionName
    {
        get;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    }

    /// <summary>i= (RFC 8866 §5.4).</summary>
    public string? Information { get; set; }

    /// <summary>u= (RFC 8866 §5.5).</summary>
    public string? Uri { get; set; }

    /// <summary>e= lines (RFC 8866 §5.6).</summary>
    public List<string> Emails { get; } = [];

    /// <summary>p= lines (RFC 8866 §5.6).</summary>
    public List<string> Phones { get; } = [];

    /// <summary>Session-level c=; media sections without their own c= use it (RFC 8866 §5.7).</summary>
    public SdpConnection? Connection { get; set; }

    public List<SdpBandwidth> Bandwidths { get; } = [];

    /// <summary>t= lines with their r= lines; a parsed description has at least one.</summary>
    public List<SdpTiming> Timings { get; } = [];

    /// <summary>z= (RFC 8866 §5.11), kept as text.</summary>
    public string? TimeZones { get; set; }

    /// <summary>k= (RFC 8866 §5.12), obsolete but passed through.</summary>
    public string? EncryptionKey { get; set; }

    public SdpAttributeList Attributes { get; } = [];

    public List<MediaDescription> MediaDescriptions { get; } = [];

    /// <summary>The session-level direction attribute, if any.</summary>
    public MediaDirection? Direction => Attributes.Direction;

    public void SetDirection(MediaDirection direction) => Attributes.SetDirection(direction);

    /// <summary>
    /// The media section's own direction, else the session-level one, else sendrecv
    /// (RFC 8866 §6.7).
    /// </summary>
    public MediaDirection GetEffectiveDirection(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Direction ?? Direction ?? MediaDirection.SendRecv;
    }

    /// <summary>The media section's own c=, else the session-level one (RFC 8866 §5.7).</summary>
    public SdpConnection? GetEffectiveConnection(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Connection ?? Connection;
    }

    /// <summary>
    /// Bumps the o= session version, as RFC 3264 §8 requires for every changed offer or answer
    /// in the same session.
    /// </summary>
    public void IncrementSessionVersion() =>
        Origin = Origin with { SessionVersion = Origin.SessionVersion + 1 };

    /// <summary>The description as SDP text with CRLF line ends; see <see cref="SdpWriter"/>.</summary>
    public override string ToString() => Encoding.UTF8.GetString(SdpWriter.ToArray(this));
}
