namespace FeatureB2bua.Core.StateMachines;

/// <summary>
/// A trigger that carries one typed argument (pass a record for several values) to the actions it reaches,
/// without boxing. Create it with <see cref="StateMachine{TState, TTrigger}.SetTriggerParameters{TArg}"/>.
/// </summary>
public sealed class TriggerWithParameters<TTrigger, TArg> : IArgumentSlot
    where TTrigger : struct, Enum
{
    private readonly Queue<TArg> _pending = new(2);

    internal TriggerWithParameters(object machine, TTrigger trigger)
    {
        Machine = machine;
        Trigger = trigger;
    }

    public TTrigger Trigger { get; }

    /// <summary>The machine that created this trigger; arguments must not leak into another machine's queue.</summary>
    internal object Machine { get; }

    /// <summary>The argument of the trigger being handled now, read by the typed actions.</summary>
    internal TArg Current { get; private set; } = default!;

    internal void SetCurrent(TArg argument) => Current = argument;

    internal void Enqueue(TArg argument) => _pending.Enqueue(argument);

    void IArgumentSlot.Advance() => Current = _pending.Dequeue();

    void IArgumentSlot.Release() => Current = default!;

    void IArgumentSlot.Discard() => _pending.Dequeue();

    public override string ToString() => Trigger.ToString();
}
