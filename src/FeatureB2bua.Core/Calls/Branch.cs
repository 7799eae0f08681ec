using FeatureB2bua.Core.Routing;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// One INVITE the call sent towards a target: several run at once when registered contacts share a q value
/// (parallel forking), one after another on failover. Each branch is its own B-leg dialog attempt with its own
/// Call-ID, so a late answer on a losing branch is easy to tell apart.
/// </summary>
internal sealed class Branch(CallTarget target, SipMessage invite, uint sessionExpires)
{
    public CallTarget Target { get; } = target;

    public SipMessage Invite { get; } = invite;

    /// <summary>The Session-Expires this INVITE asked for (raised after a 422, RFC 4028 §7.3).</summary>
    public uint SessionExpires { get; } = sessionExpires;

    public ClientTransaction Transaction { get; set; } = null!;

    /// <summary>Any provisional response, 100 included, has arrived: a CANCEL may now be sent (RFC 3261 §9.1).</summary>
    public bool HasProvisional { get; set; }

    /// <summary>The call wants this branch gone but it had no provisional response yet; the CANCEL waits for one.</summary>
    public bool CancelWanted { get; set; }

    public bool CancelSent { get; set; }

    /// <summary>Cancelled because the call moved on (a 6xx elsewhere, a forward on no answer): its outcome no longer matters.</summary>
    public bool Abandoned { get; set; }

    /// <summary>A final response (or a timeout) ended the INVITE transaction's outcome for us.</summary>
    public bool Finished { get; set; }

    /// <summary>The ACK of this branch's 2xx, kept to answer its retransmissions (§13.2.2.4).</summary>
    public SipMessage? Ack { get; set; }

    /// <summary>The To tag of the 2xx we accepted on this branch.</summary>
    public string? AnsweredTag { get; set; }
}
