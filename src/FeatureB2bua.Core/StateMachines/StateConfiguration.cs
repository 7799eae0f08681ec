namespace FeatureB2bua.Core.StateMachines;

/// <summary>
/// The fluent block that configures one state. Calls add to what earlier calls configured; conflicting
/// rules for a trigger throw here, at start-up, so a running call never meets them.
/// </summary>
public sealed class StateConfiguration<TState, TTrigger>
    where TState : struct, Enum
    where TTrigger : struct, Enum
{
    private readonly StateMachine<TState, TTrigger> _machine;
    private readonly StateRepresentation<TState, TTrigger> _representation;

    internal StateConfiguration(StateMachine<TState, TTrigger> machine, StateRepresentation<TState, TTrigger> representation)
    {
        _machine = machine;
        _representation = representation;
    }

    public TState State => _representation.State;

    /// <summary>On <paramref name="trigger"/>, move to <paramref name="destination"/>.</summary>
    public StateConfiguration<TState, TTrigger> Permit(TTrigger trigger, TState destination)
    {
        AddPermit(trigger, destination, guard: null, guardDescription: null);
        return this;
    }

    /// <summary>
    /// On <paramref name="trigger"/>, move to <paramref name="destination"/> when <paramref name="guard"/> passes.
    /// Several guarded permits may share a trigger; exactly one must pass when it fires.
    /// </summary>
    public StateConfiguration<TState, TTrigger> PermitIf(TTrigger trigger, TState destination, Func<bool> guard, string guardDescription)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentException.ThrowIfNullOrWhiteSpace(guardDescription);
        AddPermit(trigger, destination, guard, guardDescription);
        return this;
    }

    /// <summary>
    /// On <paramref name="trigger"/>, exit and re-enter this state. Fired in a substate, it exits up to and
    /// including this state and ends in this state, not the substate.
    /// </summary>
    public StateConfiguration<TState, TTrigger> PermitReentry(TTrigger trigger)
    {
        _representation.AddRule(new(TransitionKind.Reentry, trigger, _representation, null, null, null, null));
        return this;
    }

    /// <summary>On <paramref name="trigger"/>, run <paramref name="action"/> and stay, without exit or entry actions.</summary>
    public StateConfiguration<TState, TTrigger> InternalTransition(TTrigger trigger, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        AddInternal(trigger, new PlainStateAction(action));
        return this;
    }

    /// <summary>As <see cref="InternalTransition(TTrigger, Action)"/>, with the trigger's argument.</summary>
    public StateConfiguration<TState, TTrigger> InternalTransition<TArg>(TriggerWithParameters<TTrigger, TArg> trigger, Action<TArg> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _machine.CheckOwnership(trigger);
        AddInternal(trigger.Trigger, new ParameterisedStateAction<TTrigger, TArg>(trigger, action));
        return this;
    }

    /// <summary>Accept <paramref name="trigger"/> and do nothing; overrides what a parent state would do with it.</summary>
    public StateConfiguration<TState, TTrigger> Ignore(TTrigger trigger)
    {
        _representation.AddRule(new(TransitionKind.Ignore, trigger, _representation, null, null, null, null));
        return this;
    }

    /// <summary>Run <paramref name="action"/> whenever the state is entered.</summary>
    public StateConfiguration<TState, TTrigger> OnEntry(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _representation.AddEntryAction(null, new PlainStateAction(action));
        return this;
    }

    /// <summary>Run <paramref name="action"/> when the state is entered by <paramref name="trigger"/>.</summary>
    public StateConfiguration<TState, TTrigger> OnEntryFrom(TTrigger trigger, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _representation.AddEntryAction(trigger, new PlainStateAction(action));
        return this;
    }

    /// <summary>Run <paramref name="action"/> with the trigger's argument when the state is entered by <paramref name="trigger"/>.</summary>
    public StateConfiguration<TState, TTrigger> OnEntryFrom<TArg>(TriggerWithParameters<TTrigger, TArg> trigger, Action<TArg> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _machine.CheckOwnership(trigger);
        _representation.AddEntryAction(trigger.Trigger, new ParameterisedStateAction<TTrigger, TArg>(trigger, action));
        return this;
    }

    /// <summary>Run <paramref name="action"/> whenever the state is left.</summary>
    public StateConfiguration<TState, TTrigger> OnExit(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _representation.AddExitAction(new PlainStateAction(action));
        return this;
    }

    /// <summary>
    /// Make this state a substate of <paramref name="parent"/>: it inherits the parent's triggers, and moving
    /// between substates of one parent neither exits nor enters the parent.
    /// </summary>
    public StateConfiguration<TState, TTrigger> SubstateOf(TState parent)
    {
        _representation.SetParent(_machine.GetRepresentation(parent));
        return this;
    }

    private void AddPermit(TTrigger trigger, TState destination, Func<bool>? guard, string? guardDescription)
    {
        if (EqualityComparer<TState>.Default.Equals(destination, _representation.State))
        {
            throw new ArgumentException(
                $"State {destination} cannot permit {trigger} to itself; use PermitReentry or InternalTransition.", nameof(destination));
        }

        var target = _machine.GetRepresentation(destination);
        _representation.AddRule(new(TransitionKind.Permit, trigger, _representation, target, guard, guardDescription, null));
    }

    private void AddInternal(TTrigger trigger, StateAction action) =>
        _representation.AddRule(new(TransitionKind.Internal, trigger, _representation, null, null, null, action));
}
