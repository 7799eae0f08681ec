namespace FeatureB2bua.Core.StateMachines;

/// <summary>
/// A hierarchical state machine configured one state at a time in the Stateless style, small enough to run
/// every call's state without allocating per trigger.
/// </summary>
/// <remarks>
/// <para>
/// Not thread-safe, by design: one logical thread per call drives its machine, so there is nothing to lock.
/// </para>
/// <para>
/// Firing is queued (run-to-completion): a trigger fired from inside an action returns
/// <see cref="FireResult.Queued"/> and runs once the current transition has finished, in the order fired.
/// A trigger nobody handles never throws; it returns <see cref="FireResult.Refused"/> and calls the
/// <see cref="OnUnhandledTrigger"/> hook. The initial state's entry actions do not run.
/// </para>
/// <para>
/// An exception from a guard, action or hook is a bug and propagates to the caller of <c>Fire</c>, leaving the
/// machine usable: after a guard, internal action or hook throws, the state is unchanged; after an exit action
/// throws, the state is still the source; after an entry action throws, the state is already the destination.
/// The actions after the one that threw do not run, and triggers queued during that <c>Fire</c> are discarded.
/// </para>
/// </remarks>
public sealed class StateMachine<TState, TTrigger>
    where TState : struct, Enum
    where TTrigger : struct, Enum
{
    private readonly Dictionary<TState, StateRepresentation<TState, TTrigger>> _states;
    private readonly List<StateRepresentation<TState, TTrigger>> _statesInOrder;
    private readonly Dictionary<TTrigger, IArgumentSlot> _parameters;
    private readonly Queue<(TTrigger Trigger, IArgumentSlot? Slot)> _queue = new(4);
    private readonly StateRepresentation<TState, TTrigger> _initial;
    private StateRepresentation<TState, TTrigger> _current;
    private Action<TState, TTrigger>? _unhandled;
    private Action<TState, TTrigger, string>? _configurationError;
    private bool _firing;

    // Set once the configuration is shared by NewInstance: from then on it is read only, in every machine using it.
    private bool _frozen;

    public StateMachine(TState initialState)
    {
        _states = [];
        _statesInOrder = [];
        _parameters = [];
        _initial = GetRepresentation(initialState);
        _current = _initial;
    }

    private StateMachine(StateMachine<TState, TTrigger> configured)
    {
        _states = configured._states;
        _statesInOrder = configured._statesInOrder;
        _parameters = configured._parameters;
        _initial = configured._initial;
        _current = _initial;
        _frozen = true;
    }

    public TState State => _current.State;

    /// <summary>
    /// The triggers <see cref="CanFire"/> accepts now (ignored ones included), from the current state first and
    /// then its parents, each in configuration order. Guards are evaluated; this allocates, so keep it off hot paths.
    /// </summary>
    public IReadOnlyList<TTrigger> PermittedTriggers
    {
        get
        {
            var permitted = new List<TTrigger>();
            for (var level = _current; level is not null; level = level.Parent)
            {
                foreach (var rule in level.Rules)
                {
                    if (!permitted.Contains(rule.Trigger) && CanFire(rule.Trigger))
                    {
                        permitted.Add(rule.Trigger);
                    }
                }
            }

            return permitted;
        }
    }

    public StateConfiguration<TState, TTrigger> Configure(TState state)
    {
        ThrowIfFrozen();
        return new(this, GetRepresentation(state));
    }

    /// <summary>
    /// A new machine in the initial state that shares this one's configuration rather than building its own: for
    /// a table configured once and run by many machines (one per call), which then costs each of them only its
    /// current state. Neither machine may be configured any more. Hooks (<see cref="OnUnhandledTrigger"/>,
    /// <see cref="OnConfigurationError"/>) are each machine's own. Guards and actions are shared, so they must not
    /// hold per-machine state; a configuration with trigger parameters (whose argument slots belong to one
    /// machine) cannot be shared.
    /// </summary>
    public StateMachine<TState, TTrigger> NewInstance()
    {
        if (_parameters.Count > 0)
        {
            throw new InvalidOperationException("A configuration with trigger parameters cannot be shared.");
        }

        _frozen = true;
        return new StateMachine<TState, TTrigger>(this);
    }

    /// <summary>Declares that <paramref name="trigger"/> carries an argument; it must then be fired through the returned object.</summary>
    public TriggerWithParameters<TTrigger, TArg> SetTriggerParameters<TArg>(TTrigger trigger)
    {
        ThrowIfFrozen();
        if (_parameters.ContainsKey(trigger))
        {
            throw new InvalidOperationException($"Parameters of trigger {trigger} are already set.");
        }

        var withParameters = new TriggerWithParameters<TTrigger, TArg>(this, trigger);
        _parameters.Add(trigger, withParameters);
        return withParameters;
    }

    /// <summary>Called with the current state and the trigger whenever a trigger is refused or ambiguous.</summary>
    public void OnUnhandledTrigger(Action<TState, TTrigger> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _unhandled = action;
    }

    /// <summary>
    /// Called, before the unhandled hook, when more than one guard passes: that is a configuration error the
    /// call code should log loudly, with a message naming two of the passing guards.
    /// </summary>
    public void OnConfigurationError(Action<TState, TTrigger, string> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _configurationError = action;
    }

    public FireResult Fire(TTrigger trigger)
    {
        if (_parameters.ContainsKey(trigger))
        {
            throw new ArgumentException($"Trigger {trigger} carries an argument; fire it through its TriggerWithParameters.", nameof(trigger));
        }

        if (_firing)
        {
            _queue.Enqueue((trigger, null));
            return FireResult.Queued;
        }

        return Run(trigger, null);
    }

    public FireResult Fire<TArg>(TriggerWithParameters<TTrigger, TArg> trigger, TArg argument)
    {
        CheckOwnership(trigger);
        if (_firing)
        {
            trigger.Enqueue(argument);
            _queue.Enqueue((trigger.Trigger, trigger));
            return FireResult.Queued;
        }

        trigger.SetCurrent(argument);
        return Run(trigger.Trigger, trigger);
    }

    /// <summary>True when firing <paramref name="trigger"/> now would transition, run an internal action or ignore it.</summary>
    public bool CanFire(TTrigger trigger) => Resolve(trigger, out var conflicting) is not null && conflicting is null;

    /// <summary>True for the current state and for every state it is a substate of.</summary>
    public bool IsInState(TState state)
    {
        for (var level = _current; level is not null; level = level.Parent)
        {
            if (EqualityComparer<TState>.Default.Equals(level.State, state))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The configuration (not the current state) as a DOT digraph in configuration order, so the text is stable
    /// enough to assert and commit: guarded edges carry <c>[guard]</c>, internal transitions are dashed self-edges,
    /// ignored triggers are left out, and a state with substates is a <c>cluster_</c> subgraph.
    /// </summary>
    public string ToDotGraph() => DotGraphWriter.Write(_statesInOrder, _initial);

    internal StateRepresentation<TState, TTrigger> GetRepresentation(TState state)
    {
        if (!_states.TryGetValue(state, out var representation))
        {
            ThrowIfFrozen();
            representation = new StateRepresentation<TState, TTrigger>(state);
            _states.Add(state, representation);
            _statesInOrder.Add(representation);
        }

        return representation;
    }

    internal void CheckOwnership<TArg>(TriggerWithParameters<TTrigger, TArg> trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (!ReferenceEquals(trigger.Machine, this))
        {
            throw new ArgumentException($"Trigger {trigger.Trigger} belongs to another state machine.", nameof(trigger));
        }
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("This configuration is shared (NewInstance) and can no longer change.");
        }
    }

    private FireResult Run(TTrigger trigger, IArgumentSlot? slot)
    {
        _firing = true;
        try
        {
            var result = FireOne(trigger, slot);
            while (_queue.TryDequeue(out var next))
            {
                next.Slot?.Advance();
                FireOne(next.Trigger, next.Slot);
            }

            return result;
        }
        finally
        {
            while (_queue.TryDequeue(out var discarded))
            {
                discarded.Slot?.Discard();
            }

            _firing = false;
        }
    }

    private FireResult FireOne(TTrigger trigger, IArgumentSlot? slot)
    {
        try
        {
            var rule = Resolve(trigger, out var conflicting);
            if (rule is null)
            {
                _unhandled?.Invoke(_current.State, trigger);
                return FireResult.Refused;
            }

            if (conflicting is not null)
            {
                _configurationError?.Invoke(_current.State, trigger,
                    $"Guards [{rule.GuardDescription}] and [{conflicting.GuardDescription}] of state {rule.Owner.State} both pass for trigger {trigger}; exactly one may.");
                _unhandled?.Invoke(_current.State, trigger);
                return FireResult.Ambiguous;
            }

            return Execute(rule, trigger);
        }
        finally
        {
            slot?.Release();
        }
    }

    /// <summary>
    /// The innermost state that resolves the trigger wins; a state whose guards all fail passes it to its parent.
    /// </summary>
    private TransitionRule<TState, TTrigger>? Resolve(TTrigger trigger, out TransitionRule<TState, TTrigger>? conflicting)
    {
        for (var level = _current; level is not null; level = level.Parent)
        {
            var rule = level.Resolve(trigger, out conflicting);
            if (rule is not null)
            {
                return rule;
            }
        }

        conflicting = null;
        return null;
    }

    private FireResult Execute(TransitionRule<TState, TTrigger> rule, TTrigger trigger)
    {
        switch (rule.Kind)
        {
            case TransitionKind.Ignore:
                return FireResult.Ignored;
            case TransitionKind.Internal:
                rule.Action!.Invoke();
                return FireResult.Internal;
            case TransitionKind.Reentry:
                MoveTo(rule.Owner, rule.Owner.Parent, trigger);
                return FireResult.Transitioned;
            default:
                MoveTo(rule.Destination!, CommonAncestor(_current, rule.Destination!), trigger);
                return FireResult.Transitioned;
        }
    }

    /// <summary>
    /// The innermost state that stays entered across the move; null when the move leaves every state.
    /// A move to the current state itself is a reentry, so it starts above the source.
    /// </summary>
    private static StateRepresentation<TState, TTrigger>? CommonAncestor(
        StateRepresentation<TState, TTrigger> source, StateRepresentation<TState, TTrigger> destination)
    {
        var common = ReferenceEquals(source, destination) ? source.Parent : source;
        while (common is not null && !destination.IsSelfOrDescendantOf(common))
        {
            common = common.Parent;
        }

        return common;
    }

    /// <summary>Exits from the current state up to <paramref name="common"/>, then enters down to <paramref name="destination"/>.</summary>
    private void MoveTo(StateRepresentation<TState, TTrigger> destination, StateRepresentation<TState, TTrigger>? common, TTrigger trigger)
    {
        for (var level = _current; !ReferenceEquals(level, common); level = level.Parent)
        {
            level!.Exit();
        }

        _current = destination;
        if (!ReferenceEquals(destination, common))
        {
            Enter(destination, common, trigger);
        }
    }

    private static void Enter(StateRepresentation<TState, TTrigger> state, StateRepresentation<TState, TTrigger>? common, TTrigger trigger)
    {
        if (state.Parent is { } parent && !ReferenceEquals(parent, common))
        {
            Enter(parent, common, trigger);
        }

        state.Enter(trigger);
    }
}
