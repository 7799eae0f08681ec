namespace FeatureB2bua.Core.Features;

/// <summary>
/// Why a call went elsewhere, as RFC 5806 (Diversion reason) and RFC 4458 (the cause a History-Info entry carries)
/// each spell it.
/// </summary>
public enum ForwardReason : byte
{
    Unconditional,
    UserBusy,
    NoAnswer,
}

public static class ForwardReasons
{
    /// <summary>RFC 5806 §2 reason token.</summary>
    public static string DiversionReason(this ForwardReason reason) => reason switch
    {
        ForwardReason.Unconditional => "unconditional",
        ForwardReason.UserBusy => "user-busy",
        _ => "no-answer",
    };

    /// <summary>RFC 4458 §3.4 cause values: 302 unconditional, 486 busy, 408 no reply.</summary>
    public static int Cause(this ForwardReason reason) => reason switch
    {
        ForwardReason.Unconditional => 302,
        ForwardReason.UserBusy => 486,
        _ => 408,
    };
}
