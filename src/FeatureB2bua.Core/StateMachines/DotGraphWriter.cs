using System.Text;

namespace FeatureB2bua.Core.StateMachines;

/// <summary>
/// Draws a machine's configuration as a DOT digraph for the feature READMEs. Output depends only on the
/// configuration order, so tests can assert the whole text: states as nodes (a state with substates becomes a
/// <c>cluster_</c> subgraph holding itself and its substates), transitions as edges labelled with the trigger
/// and <c>[guard]</c>, internal transitions as dashed self-edges; ignored triggers are not drawn.
/// </summary>
internal static class DotGraphWriter
{
    private const string Indent = "    ";

    public static string Write<TState, TTrigger>(
        IReadOnlyList<StateRepresentation<TState, TTrigger>> states, StateRepresentation<TState, TTrigger> initial)
        where TState : struct, Enum
        where TTrigger : struct, Enum
    {
        var dot = new StringBuilder();
        dot.Append("digraph {\n");
        dot.Append(Indent).Append("node [shape=box];\n");
        dot.Append(Indent).Append("\"__initial\" [label=\"\", shape=point];\n");
        foreach (var state in states)
        {
            if (state.Parent is null)
            {
                WriteNode(dot, state, 1);
            }
        }

        dot.Append(Indent).Append("\"__initial\" -> ").Append(Quote(initial.State.ToString())).Append(";\n");
        foreach (var state in states)
        {
            foreach (var rule in state.Rules)
            {
                WriteEdge(dot, rule);
            }
        }

        dot.Append("}\n");
        return dot.ToString();
    }

    private static void WriteNode<TState, TTrigger>(StringBuilder dot, StateRepresentation<TState, TTrigger> state, int depth)
        where TState : struct, Enum
        where TTrigger : struct, Enum
    {
        var name = state.State.ToString();
        if (state.Substates.Count == 0)
        {
            AppendIndent(dot, depth).Append(Quote(name)).Append(";\n");
            return;
        }

        AppendIndent(dot, depth).Append("subgraph ").Append(Quote("cluster_" + name)).Append(" {\n");
        AppendIndent(dot, depth + 1).Append("label=").Append(Quote(name)).Append(";\n");
        AppendIndent(dot, depth + 1).Append(Quote(name)).Append(";\n");
        foreach (var substate in state.Substates)
        {
            WriteNode(dot, substate, depth + 1);
        }

        AppendIndent(dot, depth).Append("}\n");
    }

    private static void WriteEdge<TState, TTrigger>(StringBuilder dot, TransitionRule<TState, TTrigger> rule)
        where TState : struct, Enum
        where TTrigger : struct, Enum
    {
        if (rule.Kind == TransitionKind.Ignore)
        {
            return;
        }

        var source = rule.Owner.State.ToString();
        var destination = rule.Kind == TransitionKind.Permit ? rule.Destination!.State.ToString() : source;
        var label = rule.IsGuarded ? $"{rule.Trigger} [{rule.GuardDescription}]" : rule.Trigger.ToString();
        dot.Append(Indent).Append(Quote(source)).Append(" -> ").Append(Quote(destination)).Append(" [label=").Append(Quote(label));
        if (rule.Kind == TransitionKind.Internal)
        {
            dot.Append(", style=dashed");
        }

        dot.Append("];\n");
    }

    private static StringBuilder AppendIndent(StringBuilder dot, int depth)
    {
        for (var i = 0; i < depth; i++)
        {
            dot.Append(Indent);
        }

        return dot;
    }

    /// <summary>A DOT quoted string: enum names are safe IDs, but flag combinations and guard descriptions need quoting.</summary>
    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
