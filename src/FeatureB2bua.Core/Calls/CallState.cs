namespace FeatureB2bua.Core.Calls;

/// <summary>The states of a call (DESIGN.md §4); the moves between them are in <see cref="CallStateMachine"/>.</summary>
public enum CallState : byte
{
    /// <summary>Looking up where the call goes.</summary>
    Routing,

    /// <summary>INVITEs are out to one target or several (forking), no ringing yet.</summary>
    Calling,

    /// <summary>A callee has sent a provisional response, relayed to the caller.</summary>
    Ringing,

    /// <summary>Every branch failed: a redirection's targets are being resolved, or the features decide where the call goes next.</summary>
    Forwarding,

    /// <summary>Answered; both dialogs confirmed.</summary>
    Connected,

    /// <summary>Answered, and one party has put the other on hold (a substate of Connected).</summary>
    Held,

    /// <summary>The caller cancelled; the callee's branches are being cancelled.</summary>
    Cancelling,

    /// <summary>BYEs are out; waiting for their answers.</summary>
    Terminating,

    Ended,
}
