namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// A t= line (RFC 8866 §5.9) with the r= lines that follow it (§5.10), which are kept as text.
/// </summary>
public sealed class SdpTiming
{
    public SdpTiming(ulong start, ulong stop)
    {
        Start = start;
        Stop = stop;
    }

    /// <summary>NTP start time; 0 means unbounded.</summary>
    public ulong Start { get; set; }

    /// <summary>NTP stop time; 0 means unbounded.</summary>
    public ulong Stop { get; set; }

    /// <summary>The values of the r= lines belonging to this t= line, in order.</summary>
    public List<string> Repeats { get; } = [];
}
