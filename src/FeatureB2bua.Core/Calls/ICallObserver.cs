namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Told of a call's life as it happens (the console's trace and live view). Called under the call's lock: an
/// observer only records or signals and returns, and never calls back into the call.
/// </summary>
public interface ICallObserver
{
    /// <summary>The call exists; its caller's INVITE is <paramref name="aCallId"/>.</summary>
    void Started(string aCallId, string caller, string dialled)
    {
    }

    /// <summary>A B-leg INVITE is about to go out under <paramref name="bCallId"/>; <paramref name="forwarded"/> when a feature sent the call on.</summary>
    void BranchStarted(string aCallId, string bCallId, string target, bool forwarded)
    {
    }

    void StateChanged(string aCallId)
    {
    }

    /// <summary>The call is over with this CDR result.</summary>
    void Ended(string aCallId, string result)
    {
    }
}
