namespace FeatureB2bua.Core.Calls;

/// <summary>What can happen to a call; each one goes through <see cref="CallStateMachine"/>.</summary>
public enum CallTrigger : byte
{
    /// <summary>B-leg INVITEs went out (the first targets, or the next ones after a failover or a redirection).</summary>
    TargetTried,

    /// <summary>A callee sent a provisional response other than 100.</summary>
    Provisional,

    /// <summary>
    /// The call is sent to new targets: every branch answered 3xx, a feature is asked to retarget it after they failed
    /// (or after its target was found busy before ringing), or the target rang too long and a feature forwards it.
    /// </summary>
    Redirected,

    /// <summary>A callee answered and the caller got the 2xx, or a feature answered the call itself.</summary>
    Answered,

    /// <summary>The caller got a final failure: no route, busy, timeout, or the last target failed.</summary>
    Failed,

    /// <summary>The caller's CANCEL arrived before any final response.</summary>
    CallerCancelled,

    /// <summary>A 2xx from a callee crossed the caller's CANCEL: it is ACKed and hung up.</summary>
    AnswerAfterCancel,

    /// <summary>An accepted offer made the media sendonly, inactive or 0.0.0.0 on every stream (RFC 3264 §8.4).</summary>
    Hold,

    /// <summary>An accepted offer made the media flow both ways again.</summary>
    Resume,

    /// <summary>A BYE from either leg, or the call ends itself: no ACK, a dead leg, session expiry, maximum duration.</summary>
    HangUp,

    /// <summary>Nothing is left outstanding on either leg.</summary>
    Finished,
}
