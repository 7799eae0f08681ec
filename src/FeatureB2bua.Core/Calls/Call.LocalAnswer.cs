using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// A call a feature answers itself (a star code's confirmation): the caller's offer is answered by the media anchor,
/// a short confirmation tone plays, and we hang up when it is over. Nobody else is rung; there is no B-leg.
/// </summary>
public sealed partial class Call
{
    /// <summary>Time after the tone before our BYE, so that its last packets are not cut by the caller's teardown.</summary>
    private static readonly TimeSpan AfterTone = TimeSpan.FromMilliseconds(500);

    private void AnswerHere()
    {
        if (!Media.TryAnswerLocally(CallSide.A, _aInvite.Body, out var answer, out var error))
        {
            // A 2xx would have to carry an answer (RFC 3264 §5); without an offer or a codec we can play, 488 says why.
            FailA(RefuseSdp(_aInvite, _aTag, error!));
            return;
        }

        _a.Dialog = Dialog.ForUas(_aInvite, _aTag);
        _a.RemoteSdp = _aInvite.Body.ToArray();
        _a.LocalSdp = answer;
        AnsweredAt = _env.Time.GetUtcNow();
        _env.Metrics.Answered(AnsweredAt.Value - SetupAt);
        var success = ResponseBuilder.Create(_aInvite, 200, "OK", _aTag, w => WriteDialogResponseHeaders(w, _a, _aInvite), answer, "application/sdp");
        _aTransaction.Respond(success);
        _machine.Fire(CallTrigger.Answered);
        AwaitAck(_a, _aTransaction, success);
        var tone = Media.PlayConfirmationTone(CallSide.A) ?? TimeSpan.Zero;
        _maxDuration = _env.Time.CreateTimer(static s => ((Call)s!).Run(() => ((Call)s!).HangUp("answered")), this, tone + AfterTone, Timeout.InfiniteTimeSpan);
    }
}
