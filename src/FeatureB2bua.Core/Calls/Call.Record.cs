using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The call's durable trace (docs/durability.md). A call has ended for its caller once we have sent the message that
/// ends it: the 200 to its BYE, our BYE, a final non-2xx, or the 487 after its CANCEL. That message goes out only once
/// the call's CDR is committed (<see cref="Conclude"/>, <see cref="AfterRecord"/>), as the registrar's 200 waits for its
/// binding, so a crash cannot lose the CDR of a call whose caller saw it end. Until then the call is in the store's
/// journal of open calls, written at the start and at the answer, from which a restart writes an interrupted CDR.
/// The waits never hold the call's lock: what follows a commit runs as a new event of the call.
/// </summary>
public sealed partial class Call
{
    private CallRecord? _record;
    private Task _recordCommitted = Task.CompletedTask;

    private (uint A, uint B, SipUri? ATarget, SipUri? BTarget) _journaledLegs;

    private OpenCall Journal() =>
        new(ACallId, _aInvite.From!.Uri.Raw, _aInvite.RequestUri!.Raw, SetupAt, AnsweredAt, _env.Time.GetUtcNow()) { Legs = Legs()?.ToJson() };

    /// <summary>
    /// After each event of an answered call whose CDR is not yet fixed: journals the call again when a leg's dialog has
    /// moved (the answer made them; a request of ours took a CSeq; a target refresh changed where requests go), so
    /// another process can still hang it up with a CSeq the peer accepts (RFC 3261 §12.2.2) at the right target.
    /// Never after the CDR: the journal entry would land after it and outlive the call.
    /// </summary>
    private void JournalLegsIfMoved()
    {
        if (_record is not null || AnsweredAt is null)
        {
            return;
        }

        var legs = (_a.Dialog?.LocalCSeq ?? 0, _b.Dialog?.LocalCSeq ?? 0, _a.Dialog?.RemoteTarget, _b.Dialog?.RemoteTarget);
        if (legs == _journaledLegs)
        {
            return;
        }

        _journaledLegs = legs;
        _ = _env.Records.Journal(Journal());
    }

    /// <summary>The legs whose dialogs are up, as <see cref="OpenCall.Legs"/> keeps them.</summary>
    private CallLegs? Legs()
    {
        var legs = new List<LegDialog>(2);
        foreach (var leg in (ReadOnlySpan<CallLeg>)[_a, _b])
        {
            if (!leg.Closed && leg.Dialog is { } dialog && leg.Destination is { } destination)
            {
                legs.Add(LegDialog.Of(leg.Name, dialog, destination));
            }
        }

        return legs.Count > 0 ? new CallLegs(legs) : null;
    }

    /// <summary>Fixes the call's CDR now, with the outcome its caller is about to be told, and sends it to the store; the first conclusion stands.</summary>
    private CallRecord Conclude(string result, int finalStatus, string? reason)
    {
        if (_record is null)
        {
            _record = new CallRecord(
                ACallId, _aInvite.From!.Uri.Raw, _aInvite.RequestUri!.Raw, LatestBranch?.Target.RequestUri.Raw,
                SetupAt, AnsweredAt, _env.Time.GetUtcNow(), result, finalStatus, reason) { Features = [.. _featuresApplied] };
            _recordCommitted = _env.Records.Write(_record);
        }

        return _record;
    }

    /// <summary>Runs <paramref name="send"/> (a message that ends the call for the caller) once the CDR is committed, as an event of the call.</summary>
    private void AfterRecord(Action send)
    {
        if (_recordCommitted.IsCompleted)
        {
            send();
        }
        else
        {
            _ = SendAfterRecordAsync(_recordCommitted, send);
        }
    }

    /// <summary>A message that ends <paramref name="leg"/>'s part: to the caller it ends the call, so it waits for the CDR; to a callee it goes at once.</summary>
    private void SendEnding(CallLeg leg, Action send)
    {
        if (ReferenceEquals(leg, _a))
        {
            AfterRecord(send);
        }
        else
        {
            send();
        }
    }

    private async Task SendAfterRecordAsync(Task committed, Action send)
    {
        // The sink's tasks never fault: a CDR given up still lets the call end.
        await committed.ConfigureAwait(false);
        Run(send);
    }
}
