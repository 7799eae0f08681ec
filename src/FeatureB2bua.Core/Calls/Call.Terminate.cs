namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The server ends a call of its own accord (a drain that ran out of time, an operator's hang-up), through the
/// teardown paths the call already has: hanging up an answered call, cancelling the branches of an unanswered one.
/// </summary>
public sealed partial class Call
{
    /// <summary>
    /// An answered call is hung up with BYE on both legs (pending requests get 487). An unanswered one has its callee
    /// branches cancelled (RFC 3261 §9.1: each once it has sent a provisional response; a 2xx that crosses is ACKed and
    /// hung up) and the caller gets <paramref name="status"/> <paramref name="reason"/> for its INVITE. The CDR says
    /// <paramref name="result"/>. A call already ending (cancelled, BYEs out) is left to end as it is.
    /// </summary>
    public void Terminate(string result, int status, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(result);
        Run(() =>
        {
            switch (State)
            {
                case CallState.Connected or CallState.Held:
                    HangUp(result);
                    break;
                case CallState.Routing or CallState.Calling or CallState.Ringing or CallState.Forwarding:
                    StopNoAnswer();
                    AbandonBranches();
                    FailA(status, reason, result);
                    break;
            }
        });
    }
}
