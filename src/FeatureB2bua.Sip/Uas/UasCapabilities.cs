using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Uas;

/// <summary>What this element implements, as advertised in Allow / Supported / Accept and enforced by <see cref="RequestScreening"/>.</summary>
public sealed class UasCapabilities
{
    public IReadOnlyList<SipMethod> AllowedMethods { get; init; } =
        [SipMethod.Invite, SipMethod.Ack, SipMethod.Bye, SipMethod.Cancel, SipMethod.Options, SipMethod.Register, SipMethod.Info, SipMethod.Update];

    /// <summary>Option tags we understand (RFC 3261 §19.2): session timers (RFC 4028).</summary>
    public IReadOnlyList<string> SupportedExtensions { get; init; } = ["timer"];

    public IReadOnlyList<string> AcceptedBodyTypes { get; init; } = ["application/sdp"];

    public string AllowHeader => string.Join(", ", AllowedMethods.Select(SipMethods.GetName));

    public string SupportedHeader => string.Join(", ", SupportedExtensions);

    public string AcceptHeader => string.Join(", ", AcceptedBodyTypes);
}
