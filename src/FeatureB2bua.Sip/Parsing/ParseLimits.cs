namespace FeatureB2bua.Sip.Parsing;

/// <summary>
/// How many header lines and Via values one message may carry. Past either limit the parser keeps only what a
/// refusal needs (the first Via, From, To, Call-ID and CSeq) and says which limit it met, so the work and memory a
/// message costs stay bounded by the limits, not by what a sender puts in.
/// </summary>
/// <param name="MaxHeaders">Header lines (a line with several comma-separated values counts once).</param>
/// <param name="MaxVias">Via values, whether on lines of their own or comma-separated on one line.</param>
public readonly record struct ParseLimits(int MaxHeaders, int MaxVias)
{
    /// <summary>
    /// 256 header lines, as the parser always allowed. 70 Vias: with the Max-Forwards of 70 that RFC 3261 §8.1.1.6
    /// recommends, no request passes more proxies than that; RFC 4475's valid long request has 34.
    /// </summary>
    public static ParseLimits Default { get; } = new(256, 70);
}
