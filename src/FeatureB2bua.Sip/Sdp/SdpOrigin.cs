namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// The o= line (RFC 8866 §5.2). The session id is kept as text because only its identity
/// matters; the version is numeric because RFC 3264 §8 has it increase on every change.
/// </summary>
public sealed record SdpOrigin(
    string Username,
    string SessionId,
    ulong SessionVersion,
    string NetType,
    string AddrType,
    string Address);
