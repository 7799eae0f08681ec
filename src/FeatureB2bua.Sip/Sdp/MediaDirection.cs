namespace FeatureB2bua.Sip.Sdp;

/// <summary>The media direction attributes of RFC 8866 §6.7.</summary>
public enum MediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}
