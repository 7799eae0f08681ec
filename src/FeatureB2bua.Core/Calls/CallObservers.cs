namespace FeatureB2bua.Core.Calls;

/// <summary>Every observer of the calls, told in turn; none by default.</summary>
public sealed class CallObservers(params ICallObserver[] observers) : ICallObserver
{
    public static CallObservers None { get; } = new();

    public void Started(string aCallId, string caller, string dialled)
    {
        foreach (var observer in observers)
        {
            observer.Started(aCallId, caller, dialled);
        }
    }

    public void BranchStarted(string aCallId, string bCallId, string target, bool forwarded)
    {
        foreach (var observer in observers)
        {
            observer.BranchStarted(aCallId, bCallId, target, forwarded);
        }
    }

    public void StateChanged(string aCallId)
    {
        foreach (var observer in observers)
        {
            observer.StateChanged(aCallId);
        }
    }

    public void Ended(string aCallId, string result)
    {
        foreach (var observer in observers)
        {
            observer.Ended(aCallId, result);
        }
    }
}
