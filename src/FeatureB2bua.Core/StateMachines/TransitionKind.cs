namespace FeatureB2bua.Core.StateMachines;

/// <summary>How a configured trigger is handled; decides which actions run and how the DOT graph draws it.</summary>
internal enum TransitionKind : byte
{
    /// <summary>Move to another state (guarded or not): exit actions, then entry actions.</summary>
    Permit,

    /// <summary>Exit and re-enter the configuring state.</summary>
    Reentry,

    /// <summary>Run an action and stay; no exit or entry action.</summary>
    Internal,

    /// <summary>Accept the trigger and do nothing.</summary>
    Ignore,
}
