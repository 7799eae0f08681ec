using FeatureB2bua.Core.Features;
using FeatureB2bua.Core.Routing;
using FeatureB2bua.Core.Subscribers;

namespace FeatureB2bua.Features.StarCodes;

/// <summary>
/// Forwarding set from the phone's keypad, as on most PBXs: <c>*72</c>+target and <c>*73</c> for unconditional,
/// <c>*90</c>/<c>*91</c> on busy, <c>*92</c>/<c>*93</c> on no answer. The caller must be one of our subscribers; the
/// change is stored, then the call is answered here with a confirmation tone and hung up. A missing or unusable
/// target gets 603 Decline and changes nothing. Other star codes go on to routing (the PBX may know them).
/// </summary>
public sealed class StarCodesFeature(ISubscriberStore store, LocalDomain domain) : ICallFeature
{
    public string Name => "star-codes";

    public async ValueTask<FeatureDecision> OnIncomingAsync(FeatureContext call, CancellationToken cancellationToken)
    {
        if (call.Retargets > 0 || call.Target.User is not ['*', _, _, .. var rest] user || !TryParseCode(user[1..3], out var setting, out var sets))
        {
            return FeatureDecision.Continue;
        }

        if (call.CallerSubscriber is not { } caller)
        {
            return FeatureDecision.Reject(403, "Forbidden");
        }

        string? target = null;
        if (sets)
        {
            if (!ForwardTarget.TryParse(rest, domain.Name, out var uri))
            {
                return FeatureDecision.Reject(603, "Decline");
            }

            target = uri.Raw;
        }
        else if (rest.Length > 0)
        {
            return FeatureDecision.Reject(603, "Decline");
        }

        var features = setting switch
        {
            Setting.Unconditional => caller.Features with { ForwardUnconditional = target },
            Setting.Busy => caller.Features with { ForwardBusy = target },
            _ => caller.Features with { ForwardNoAnswer = target },
        };
        await store.UpsertAsync(caller with { Features = features }, cancellationToken).ConfigureAwait(false);
        return FeatureDecision.Confirm;
    }

    private static bool TryParseCode(string code, out Setting setting, out bool sets)
    {
        (setting, sets) = code switch
        {
            "72" => (Setting.Unconditional, true),
            "73" => (Setting.Unconditional, false),
            "90" => (Setting.Busy, true),
            "91" => (Setting.Busy, false),
            "92" => (Setting.NoAnswer, true),
            "93" => (Setting.NoAnswer, false),
            _ => (default, false),
        };
        return code is "72" or "73" or "90" or "91" or "92" or "93";
    }

    private enum Setting
    {
        Unconditional,
        Busy,
        NoAnswer,
    }
}
