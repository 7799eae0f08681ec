using FeatureB2bua.Core.StateMachines;

namespace FeatureB2bua.Core.Tests.StateMachines;

/// <summary>A machine over <see cref="Place"/> that logs every entry and exit, for substate ordering tests.</summary>
internal sealed class Hierarchy
{
    public Hierarchy(Place initial)
    {
        Machine = new StateMachine<Place, Move>(initial);
        foreach (var place in Enum.GetValues<Place>())
        {
            Machine.Configure(place)
                .OnEntry(() => Log.Add($"enter {place}"))
                .OnEntryFrom(Move.Reenter, () => Log.Add($"enter {place} from Reenter"))
                .OnExit(() => Log.Add($"exit {place}"));
        }

        Machine.Configure(Place.Child1).SubstateOf(Place.Parent);
        Machine.Configure(Place.Child2).SubstateOf(Place.Parent);
        Machine.Configure(Place.GrandChild).SubstateOf(Place.Child1);

        Machine.Configure(Place.Outside)
            .Permit(Move.ToParent, Place.Parent)
            .Permit(Move.ToChild1, Place.Child1)
            .Permit(Move.ToGrandChild, Place.GrandChild);
        Machine.Configure(Place.Parent)
            .Permit(Move.ToOutside, Place.Outside)
            .Permit(Move.ToChild1, Place.Child1)
            .Permit(Move.ToChild2, Place.Child2)
            .PermitReentry(Move.Reenter)
            .InternalTransition(Move.Tick, () => Log.Add("tick"));
        Machine.Configure(Place.Child1)
            .Permit(Move.ToParent, Place.Parent)
            .Permit(Move.ToGrandChild, Place.GrandChild);
        Machine.Configure(Place.Child2)
            .Permit(Move.ToGrandChild, Place.GrandChild);
    }

    public StateMachine<Place, Move> Machine { get; }

    public List<string> Log { get; } = [];
}
