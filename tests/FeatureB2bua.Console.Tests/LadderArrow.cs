namespace FeatureB2bua.Console.Tests;

/// <summary>One arrow of the console's ladder as its data attributes give it: the leg, the message's label, in (towards the B2BUA) or out, and its place in the trace.</summary>
public sealed record LadderArrow(string Leg, string Label, string Direction, int Seq)
{
    /// <summary>The method of a request, the status code of a response: "180 Ringing" is "180".</summary>
    public string Kind => Label.Split(' ')[0];

    /// <summary>
    /// Whether <paramref name="expected"/> (kind and direction, such as <c>("INVITE", "in")</c>) appears in this order
    /// among the arrows of <paramref name="leg"/>; others (a retransmission, a provisional response more) may sit between.
    /// </summary>
    public static bool InOrder(IReadOnlyList<LadderArrow> arrows, string leg, params (string Kind, string Direction)[] expected)
    {
        var next = 0;
        foreach (var arrow in arrows.Where(a => a.Leg == leg))
        {
            if (next < expected.Length && arrow.Kind == expected[next].Kind && arrow.Direction == expected[next].Direction)
            {
                next++;
            }
        }

        return next == expected.Length;
    }
}
