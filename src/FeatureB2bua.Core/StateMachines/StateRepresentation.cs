namespace FeatureB2bua.Core.StateMachines;

/// <summary>
/// Everything configured for one state: its rules per trigger, entry and exit actions, and its place in the hierarchy.
/// Also created for states that are only named as a destination, so every state can be entered.
/// </summary>
internal sealed class StateRepresentation<TState, TTrigger>(TState state)
    where TState : struct, Enum
    where TTrigger : struct, Enum
{
    private readonly Dictionary<TTrigger, List<TransitionRule<TState, TTrigger>>> _rulesByTrigger = [];
    private readonly List<TransitionRule<TState, TTrigger>> _rules = [];
    private readonly List<(TTrigger? From, StateAction Action)> _entryActions = [];
    private readonly List<StateAction> _exitActions = [];
    private readonly List<StateRepresentation<TState, TTrigger>> _substates = [];

    public TState State { get; } = state;

    public StateRepresentation<TState, TTrigger>? Parent { get; private set; }

    /// <summary>Rules in configuration order, for the DOT graph and <c>PermittedTriggers</c>.</summary>
    public IReadOnlyList<TransitionRule<TState, TTrigger>> Rules => _rules;

    /// <summary>Substates in the order <c>SubstateOf</c> named them.</summary>
    public IReadOnlyList<StateRepresentation<TState, TTrigger>> Substates => _substates;

    /// <summary>
    /// Adds a rule. A trigger has either one unguarded rule or any number of guarded permits in a state;
    /// mixing them could never be resolved, so it is refused here rather than at fire time.
    /// </summary>
    public void AddRule(TransitionRule<TState, TTrigger> rule)
    {
        if (!_rulesByTrigger.TryGetValue(rule.Trigger, out var existing))
        {
            existing = [];
            _rulesByTrigger.Add(rule.Trigger, existing);
        }
        else if (!rule.IsGuarded || !existing[0].IsGuarded)
        {
            throw new InvalidOperationException(
                $"Trigger {rule.Trigger} is already configured in state {State}; only guarded permits (PermitIf) may share a trigger.");
        }

        existing.Add(rule);
        _rules.Add(rule);
    }

    public void AddEntryAction(TTrigger? from, StateAction action) => _entryActions.Add((from, action));

    public void AddExitAction(StateAction action) => _exitActions.Add(action);

    public void SetParent(StateRepresentation<TState, TTrigger> parent)
    {
        if (ReferenceEquals(Parent, parent))
        {
            return;
        }

        if (Parent is not null)
        {
            throw new InvalidOperationException($"State {State} is already a substate of {Parent.State}.");
        }

        if (parent.IsSelfOrDescendantOf(this))
        {
            throw new ArgumentException($"Making {State} a substate of {parent.State} would create a cycle.", nameof(parent));
        }

        Parent = parent;
        parent._substates.Add(this);
    }

    public bool IsSelfOrDescendantOf(StateRepresentation<TState, TTrigger> other)
    {
        for (var state = this; state is not null; state = state.Parent)
        {
            if (ReferenceEquals(state, other))
            {
                return true;
            }
        }

        return false;
    }

    public bool HandlesLocally(TTrigger trigger) => _rulesByTrigger.ContainsKey(trigger);

    /// <summary>
    /// The one rule of this state whose guard passes for <paramref name="trigger"/>, or null.
    /// When a second rule passes too, it is returned in <paramref name="conflicting"/> and the result must not be used.
    /// </summary>
    public TransitionRule<TState, TTrigger>? Resolve(TTrigger trigger, out TransitionRule<TState, TTrigger>? conflicting)
    {
        conflicting = null;
        if (!_rulesByTrigger.TryGetValue(trigger, out var rules))
        {
            return null;
        }

        TransitionRule<TState, TTrigger>? found = null;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (!rule.GuardPasses())
            {
                continue;
            }

            if (found is not null)
            {
                conflicting = rule;
                return found;
            }

            found = rule;
        }

        return found;
    }

    public void Enter(TTrigger trigger)
    {
        for (var i = 0; i < _entryActions.Count; i++)
        {
            var (from, action) = _entryActions[i];
            if (from is null || EqualityComparer<TTrigger>.Default.Equals(from.GetValueOrDefault(), trigger))
            {
                action.Invoke();
            }
        }
    }

    public void Exit()
    {
        for (var i = 0; i < _exitActions.Count; i++)
        {
            _exitActions[i].Invoke();
        }
    }
}
