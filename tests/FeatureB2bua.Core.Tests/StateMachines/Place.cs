namespace FeatureB2bua.Core.Tests.StateMachines;

/// <summary>States of a three-level hierarchy: Parent holds Child1 and Child2; GrandChild is inside Child1.</summary>
public enum Place
{
    Outside,
    Parent,
    Child1,
    Child2,
    GrandChild,
}

public enum Move
{
    ToOutside,
    ToParent,
    ToChild1,
    ToChild2,
    ToGrandChild,
    Reenter,
    Tick,
}
