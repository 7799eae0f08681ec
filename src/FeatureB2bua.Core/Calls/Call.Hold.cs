using FeatureB2bua.Core.Features;
using FeatureB2bua.Sip.Sdp;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Hold (RFC 3264 §8.4) from either party, and music on hold. An offer that holds the other party is relayed as
/// usual unless a feature plays the held party music: then the held party is offered sendonly from the anchor's
/// address (so it keeps a media path even when the holder wrote inactive or c=0.0.0.0), the holder gets the answer
/// its offer asked for, and once the answer is in the anchor plays the music. Each party holds on its own: both may
/// hold at once, and the call is Held until neither does.
/// </summary>
public sealed partial class Call
{
    private readonly bool[] _holding = new bool[2];

    private static CallSide SideOf(CallLeg leg, CallLeg a) => ReferenceEquals(leg, a) ? CallSide.A : CallSide.B;

    /// <summary>The music a feature wants for the party <paramref name="holder"/> is putting on hold, when its offer holds and one does.</summary>
    private HoldMusic? HoldMusicFor(CallLeg holder, bool holds)
    {
        if (_env.Features.IsEmpty || !holds)
        {
            return null;
        }

        var (decision, feature) = Ask(chain => chain.OnHold(Context(), SideOf(holder, _a)));
        return decision is FeatureDecision.PlayMusicDecision music ? new HoldMusic(music.File, feature!) : null;
    }

    /// <summary>An offer from <paramref name="holder"/> was accepted: it holds the other party now, or no longer does.</summary>
    private void NoteHold(CallLeg holder, bool holds, HoldMusic? music)
    {
        var side = SideOf(holder, _a);
        var held = side == CallSide.A ? CallSide.B : CallSide.A;
        if (holds)
        {
            _holding[(int)side] = true;
            if (music is not null && Media.PlayHoldMusic(held, music.File))
            {
                Applied(music.Feature);
            }
        }
        else if (_holding[(int)side])
        {
            _holding[(int)side] = false;
            Media.StopHoldMusic(held);
        }

        _machine.Fire(_holding[0] || _holding[1] ? CallTrigger.Hold : CallTrigger.Resume);
    }

    /// <summary>RFC 3264 §8.4: every stream sendonly or inactive, or the old c=0.0.0.0 form, puts the other party on hold.</summary>
    private static bool IsHold(ReadOnlySpan<byte> body)
    {
        if (!SdpParser.TryParse(body, out var sdp, out _) || sdp.MediaDescriptions.Count == 0)
        {
            return false;
        }

        return sdp.MediaDescriptions.Where(m => m.Port != 0).All(m =>
            sdp.GetEffectiveDirection(m) is MediaDirection.SendOnly or MediaDirection.Inactive
            || sdp.GetEffectiveConnection(m) is { IsHoldAddress: true });
    }

    /// <summary>What a hold feature chose: the file (null for the default) and the feature, counted when the music starts.</summary>
    private sealed record HoldMusic(string? File, string Feature);
}
