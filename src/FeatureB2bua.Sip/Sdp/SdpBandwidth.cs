namespace FeatureB2bua.Sip.Sdp;

/// <summary>A b= line (RFC 8866 §5.8), e.g. <c>b=AS:64</c> or <c>b=TIAS:64000</c>.</summary>
public sealed record SdpBandwidth(string Type, ulong Value);
