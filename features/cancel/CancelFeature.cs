using FeatureB2bua.Core.Features;

namespace FeatureB2bua.Features.Cancel;

/// <summary>
/// The CANCELs the call core sends to pending branches when the caller cancels carry a Reason (RFC 3326 §2): the
/// caller's own when it gave one (a forking PBX's "call completed elsewhere" then reaches the phones, which leave
/// the call out of their missed calls), else ours saying the caller gave up. The CANCEL rules themselves are the
/// call core's (src/FeatureB2bua.Core/Calls/Call.Cancel.cs) and hold with or without this module.
/// </summary>
public sealed class CancelFeature : ICallFeature
{
    public string Name => "cancel";

    public string? OnCancel(FeatureContext call) => call.CallerReason ?? "SIP;cause=487;text=\"Caller cancelled\"";
}
