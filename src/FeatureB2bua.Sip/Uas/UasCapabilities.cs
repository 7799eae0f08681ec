using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Uas;

/// <summary>What this element implements, as advertised in Allow / Supported / Accept and enforced by <see cref="RequestScreening"/>.</summary>
public sealed class UasCapabilities
{
    public IReadOnlyList<SipMethod> AllowedMethods { get; init; } =
        [SipMethod.Invite, SipMethod.Ack, SipMethod.Bye, SipMethod.Cancel, SipMethod.Options, SipMethod.Register, SipMethod.Info, SipMethod.Update];

    /// <summary>
    /// Option tags we understand (RFC 3261 §19.2). None yet: session timers (RFC 4028, "timer") arrive with the
    /// call core, and a tag advertised before it works would let a peer Require it and be let down.
    /// </summary>
    public IReadOnlyList<string> SupportedExtensions { get; init; } = [];

    public IReadOnlyList<string> AcceptedBodyTypes { get; init; } = ["application/sdp"];

    public string AllowHeader => string.Join(", ", AllowedMethods.Select(SipMethods.GetName));

    public string SupportedHeader => string.Join(", ", SupportedExtensions);

    public string AcceptHeader => string.Join(", ", AcceptedBodyTypes);
}
