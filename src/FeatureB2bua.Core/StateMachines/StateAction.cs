namespace FeatureB2bua.Core.StateMachines;

/// <summary>
/// An entry, exit or internal-transition action. Built once at configuration time, so firing creates no closures.
/// </summary>
internal abstract class StateAction
{
    public abstract void Invoke();
}

/// <summary>An action that needs no argument.</summary>
internal sealed class PlainStateAction(Action action) : StateAction
{
    public override void Invoke() => action();
}

/// <summary>An action that receives the argument of the parameterised trigger being handled.</summary>
internal sealed class ParameterisedStateAction<TTrigger, TArg>(TriggerWithParameters<TTrigger, TArg> trigger, Action<TArg> action) : StateAction
    where TTrigger : struct, Enum
{
    public override void Invoke() => action(trigger.Current);
}
