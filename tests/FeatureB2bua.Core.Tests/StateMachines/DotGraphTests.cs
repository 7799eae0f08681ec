using FeatureB2bua.Core.StateMachines;

namespace FeatureB2bua.Core.Tests.StateMachines;

/// <summary>The DOT text is a snapshot committed into feature READMEs, so it is asserted whole.</summary>
public sealed class DotGraphTests
{
    [Fact]
    public void ToDotGraph_PhoneCall_ExactText()
    {
        var phone = new PhoneCall();

        Assert.Equal(
            """
            digraph {
                node [shape=box];
                "__initial" [label="", shape=point];
                "OffHook";
                "Ringing";
                subgraph "cluster_Connected" {
                    label="Connected";
                    "Connected";
                    "OnHold";
                }
                "Voicemail";
                "PhoneDestroyed";
                "__initial" -> "OffHook";
                "OffHook" -> "Ringing" [label="CallDialled"];
                "Ringing" -> "Ringing" [label="CallDialled"];
                "Ringing" -> "Connected" [label="CallConnected"];
                "Ringing" -> "Voicemail" [label="NoAnswer [voicemail enabled]"];
                "Ringing" -> "OffHook" [label="NoAnswer [voicemail disabled]"];
                "Ringing" -> "OffHook" [label="HungUp"];
                "Connected" -> "Connected" [label="MuteMicrophone", style=dashed];
                "Connected" -> "Connected" [label="UnmuteMicrophone", style=dashed];
                "Connected" -> "Connected" [label="SetVolume", style=dashed];
                "Connected" -> "OnHold" [label="PlacedOnHold"];
                "Connected" -> "OffHook" [label="HungUp"];
                "Voicemail" -> "OffHook" [label="HungUp"];
                "OnHold" -> "Connected" [label="TakenOffHold"];
                "OnHold" -> "PhoneDestroyed" [label="PhoneHurledAgainstWall"];
            }

            """,
            phone.Machine.ToDotGraph());
    }

    [Fact]
    public void ToDotGraph_AfterFiring_StillDrawsTheInitialState()
    {
        var phone = new PhoneCall();
        var before = phone.Machine.ToDotGraph();

        phone.Connect();

        Assert.Equal(before, phone.Machine.ToDotGraph());
    }

    [Fact]
    public void ToDotGraph_NestedSubstates_NestedClusters()
    {
        var hierarchy = new Hierarchy(Place.Outside);

        Assert.Equal(
            """
            digraph {
                node [shape=box];
                "__initial" [label="", shape=point];
                "Outside";
                subgraph "cluster_Parent" {
                    label="Parent";
                    "Parent";
                    subgraph "cluster_Child1" {
                        label="Child1";
                        "Child1";
                        "GrandChild";
                    }
                    "Child2";
                }
                "__initial" -> "Outside";
                "Outside" -> "Parent" [label="ToParent"];
                "Outside" -> "Child1" [label="ToChild1"];
                "Outside" -> "GrandChild" [label="ToGrandChild"];
                "Parent" -> "Outside" [label="ToOutside"];
                "Parent" -> "Child1" [label="ToChild1"];
                "Parent" -> "Child2" [label="ToChild2"];
                "Parent" -> "Parent" [label="Reenter"];
                "Parent" -> "Parent" [label="Tick", style=dashed];
                "Child1" -> "Parent" [label="ToParent"];
                "Child1" -> "GrandChild" [label="ToGrandChild"];
                "Child2" -> "GrandChild" [label="ToGrandChild"];
            }

            """,
            hierarchy.Machine.ToDotGraph());
    }

    [Fact]
    public void ToDotGraph_GuardDescriptionWithQuotesAndBackslash_Escaped()
    {
        var machine = new StateMachine<Step, Signal>(Step.A);
        machine.Configure(Step.A)
            .PermitIf(Signal.X, Step.B, () => true, """say "hi" \ bye""")
            .Ignore(Signal.Y);

        Assert.Equal(
            """
            digraph {
                node [shape=box];
                "__initial" [label="", shape=point];
                "A";
                "B";
                "__initial" -> "A";
                "A" -> "B" [label="X [say \"hi\" \\ bye]"];
            }

            """,
            machine.ToDotGraph());
    }
}
