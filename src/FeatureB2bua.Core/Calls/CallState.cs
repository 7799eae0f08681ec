namespace FeatureB2bua.Core.Calls;

/// <summary>The states of a call (DESIGN.md §4); Held and Forwarding arrive with the feature modules.</summary>
public enum CallState : byte
{
    Routing,
    Calling,
    Ringing,
    Connected,
    Cancelling,
    Terminating,
    Ended,
}
