using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Core.Features;

/// <summary>What a feature decided at a decision point.</summary>
public abstract record FeatureDecision
{
    public static readonly FeatureDecision Continue = new ContinueDecision();

    public static readonly FeatureDecision Confirm = new ConfirmDecision();

    private FeatureDecision()
    {
    }

    public static FeatureDecision Retarget(SipUri target, ForwardReason reason) => new RetargetDecision(target, reason);

    public static FeatureDecision Redirect(SipUri target, ForwardReason reason) => new RedirectDecision(target, reason);

    public static FeatureDecision Reject(int status, string reason) => new RejectDecision(status, reason);

    public static FeatureDecision PlayMusic(string? file) => new PlayMusicDecision(file);

    /// <summary>Nothing to do here: the next feature decides, then the call goes on as it would have.</summary>
    public sealed record ContinueDecision : FeatureDecision;

    /// <summary>
    /// A new B-leg to <paramref name="Target"/>, routed like a dialled URI; the caller's dialog stays as it is and
    /// hears 181, and the new INVITE says why in History-Info and Diversion.
    /// </summary>
    public sealed record RetargetDecision(SipUri Target, ForwardReason Reason) : FeatureDecision;

    /// <summary>The caller is told to call <paramref name="Target"/> itself: 302 Moved Temporarily with it in Contact (RFC 3261 §21.3.3).</summary>
    public sealed record RedirectDecision(SipUri Target, ForwardReason Reason) : FeatureDecision;

    /// <summary>The caller is answered with this final status; at the first decision point it still counts as the target's failure (so a 486 can be forwarded on busy).</summary>
    public sealed record RejectDecision(int Status, string Reason) : FeatureDecision;

    /// <summary>The held party hears hold music from the media anchor: <paramref name="File"/>, or the server's default when null.</summary>
    public sealed record PlayMusicDecision(string? File) : FeatureDecision;

    /// <summary>The call is answered here with a short confirmation tone and then hung up; nobody else is rung.</summary>
    public sealed record ConfirmDecision : FeatureDecision;
}
