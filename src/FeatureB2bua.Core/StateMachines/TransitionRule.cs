namespace FeatureB2bua.Core.StateMachines;

/// <summary>
/// One configured way a state handles a trigger: the unit the machine resolves at fire time and the DOT writer draws.
/// </summary>
internal sealed class TransitionRule<TState, TTrigger>(
    TransitionKind kind,
    TTrigger trigger,
    StateRepresentation<TState, TTrigger> owner,
    StateRepresentation<TState, TTrigger>? destination,
    Func<bool>? guard,
    string? guardDescription,
    StateAction? action)
    where TState : struct, Enum
    where TTrigger : struct, Enum
{
    public TransitionKind Kind { get; } = kind;

    public TTrigger Trigger { get; } = trigger;

    /// <summary>The state whose configuration holds the rule; a reentry re-enters this state.</summary>
    public StateRepresentation<TState, TTrigger> Owner { get; } = owner;

    /// <summary>Where a <see cref="TransitionKind.Permit"/> goes; null for the other kinds.</summary>
    public StateRepresentation<TState, TTrigger>? Destination { get; } = destination;

    public Func<bool>? Guard { get; } = guard;

    public string? GuardDescription { get; } = guardDescription;

    /// <summary>The action of an <see cref="TransitionKind.Internal"/> rule.</summary>
    public StateAction? Action { get; } = action;

    public bool IsGuarded => Guard is not null;

    public bool GuardPasses() => Guard is null || Guard();
}
