namespace FeatureB2bua.Core.Calls;

/// <summary>What can happen to a call; each one goes through <see cref="CallStateMachine"/>.</summary>
public enum CallTrigger : byte
{
    /// <summary>A B-leg INVITE went out (the first target, or the next one after a failover).</summary>
    TargetTried,

    /// <summary>The callee sent a provisional response other than 100.</summary>
    Provisional,

    /// <summary>The callee answered and the caller got the 2xx.</summary>
    Answered,

    /// <summary>The caller got a final failure: no route, busy, timeout, or the last target failed.</summary>
    Failed,

    /// <summary>The caller's CANCEL arrived before any final response.</summary>
    CallerCancelled,

    /// <summary>A 2xx from the callee crossed the caller's CANCEL: it is ACKed and hung up.</summary>
    AnswerAfterCancel,

    /// <summary>A BYE from either leg, or the caller never ACKed our 2xx.</summary>
    HangUp,

    /// <summary>Nothing is left outstanding on either leg.</summary>
    Finished,
}
