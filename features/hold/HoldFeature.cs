using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Features;

namespace FeatureB2bua.Features.Hold;

/// <summary>
/// Music on hold: whoever is put on hold hears the holder's music (their <c>musicOnHoldFile</c>, else the server's
/// <c>Media:HoldMusic:File</c> or built-in tune). A holder who is one of our subscribers with <c>musicOnHold</c> off
/// holds in silence, the hold offer relayed as it came; a holder we do not know (a PBX, a trunk) gets the default.
/// </summary>
public sealed class HoldFeature : ICallFeature
{
    public string Name => "hold";

    public FeatureDecision OnHold(FeatureContext call, CallSide holder)
    {
        var subscriber = holder == CallSide.A ? call.CallerSubscriber : call.TargetSubscriber;
        return subscriber is { Features.MusicOnHold: false }
            ? FeatureDecision.Continue
            : FeatureDecision.PlayMusic(subscriber?.Features.MusicOnHoldFile);
    }
}
