using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// One side of a call as a user agent: its dialog, where its in-dialog requests go, the last session description
/// each way, the re-INVITE it has pending with us, our 2xx it has yet to ACK, the ACK we hold back for it, and
/// its session timer. The A-leg and the B-leg are the same kind of thing, so in-dialog rules are written once.
/// </summary>
internal sealed class CallLeg(string name)
{
    public string Name { get; } = name;

    public Dialog? Dialog { get; set; }

    /// <summary>A BYE went either way on this leg: new requests in it get 481, a crossing BYE gets 200.</summary>
    public bool Closed { get; set; }

    /// <summary>The next hop of this leg's in-dialog requests: its route set's first hop, else where it sent from.</summary>
    public SipDestination? Destination { get; set; }

    /// <summary>The offer or answer this leg last sent us, as it came.</summary>
    public byte[]? RemoteSdp { get; set; }

    /// <summary>The offer or answer we last sent this leg (the other leg's, relayed).</summary>
    public byte[]? LocalSdp { get; set; }

    /// <summary>A re-INVITE from this leg waiting for the other leg's answer (RFC 3261 §14.2 allows one at a time).</summary>
    public ServerTransaction? PendingInvite { get; set; }

    /// <summary>Other requests from this leg relayed and not yet answered; they get 487 if the call ends first (§15.1.2).</summary>
    public List<ServerTransaction> PendingRequests { get; } = [];

    /// <summary>Our 2xx to an INVITE of this leg, resent until its ACK (§13.3.1.4).</summary>
    public UnacknowledgedSuccess? AwaitingAck { get; set; }

    /// <summary>
    /// The 2xx of the other leg whose ACK waits for this leg's ACK: when an INVITE carried no offer, the answer
    /// comes in this leg's ACK and must go on in the other leg's (RFC 3264 §4, late offer).
    /// </summary>
    public DeferredAck? HeldAck { get; set; }

    /// <summary>Our last ACK of a 2xx on this leg, sent again if that 2xx is retransmitted (§13.2.2.4).</summary>
    public Sip.Messages.SipMessage? LastAck { get; set; }

    /// <summary>RFC 4028 on this leg, when negotiated.</summary>
    public SessionTimer? SessionTimer { get; set; }

    /// <summary>Whether the peer listed UPDATE in Allow, so a session refresh can be an UPDATE without a body (RFC 4028 §7.4).</summary>
    public bool PeerAllowsUpdate { get; set; }
}

/// <summary>A 2xx to an INVITE resent at T1, doubling to T2, until the ACK with the same CSeq number arrives.</summary>
internal sealed class UnacknowledgedSuccess(ServerTransaction transaction, Sip.Messages.SipMessage response, DateTimeOffset sentAt, TimeSpan interval, ITimer timer)
{
    public ServerTransaction Transaction { get; } = transaction;

    public Sip.Messages.SipMessage Response { get; } = response;

    public uint CSeq => Response.CSeq!.Number;

    public DateTimeOffset SentAt { get; } = sentAt;

    public TimeSpan Interval { get; set; } = interval;

    public ITimer Timer { get; } = timer;
}

/// <summary>The ACK owed to <paramref name="Leg"/>'s 2xx (of CSeq <paramref name="CSeq"/>), sent when our 2xx of CSeq <paramref name="TriggerCSeq"/> on the other leg is ACKed.</summary>
internal sealed record DeferredAck(CallLeg Leg, uint CSeq, uint TriggerCSeq);
