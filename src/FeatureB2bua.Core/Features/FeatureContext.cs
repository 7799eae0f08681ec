using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Core.Features;

/// <summary>What a feature may know of a call: who calls, whom they dialled, where the call goes now and how often it was retargeted.</summary>
public sealed record FeatureContext(SipUri Caller, SipUri Dialled, SipUri Target, int Retargets);
