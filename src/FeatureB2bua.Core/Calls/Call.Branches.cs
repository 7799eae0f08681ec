using FeatureB2bua.Core.Routing;
using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The B-leg INVITEs: targets in groups (registered contacts of equal q together, RFC 3261 §16.6; each upstream
/// alone), the branches of a group in parallel, the first 2xx wins and the rest are cancelled, failover to the
/// next group, 3xx recursion, and the one response the caller finally gets (§16.7's choice of the best).
/// </summary>
public sealed partial class Call
{
    private readonly List<List<CallTarget>> _groups = [];
    private readonly List<Branch> _branches = [];

    /// <summary>The B-leg INVITEs sent so far, each under its own Call-ID (registered with <see cref="CallRegistry.AddLeg"/>).</summary>
    internal int BranchCount => _branches.Count;

    internal string BranchCallId(int index) => _branches[index].Invite.CallId!;
    private readonly List<SipUri> _redirectUris = [];
    private int _nextGroup;
    private bool _groupMayFailOver;
    private (int Status, string Reason)? _bestFailure;
    private Branch? _answered;
    private int _redirects;
    private uint _offeredSessionExpires;
    private byte[]? _offerToB;

    /// <summary>
    /// Targets arrive in order; consecutive ones with the same group number are forked to together. A retarget's
    /// groups go before any left from the search they replace.
    /// </summary>
    private void PlanTargets(IReadOnlyList<CallTarget> targets)
    {
        var at = _nextGroup;
        foreach (var target in targets)
        {
            if (at == _nextGroup || _groups[at - 1][0].Group != target.Group)
            {
                _groups.Insert(at++, []);
            }

            _groups[at - 1].Add(target);
        }
    }

    private void TryNextGroup()
    {
        var group = _groups[_nextGroup++];
        _groupMayFailOver = true;
        _machine.Fire(CallTrigger.TargetTried);
        foreach (var target in group)
        {
            StartBranch(target, _offeredSessionExpires);
        }
    }

    private void StartBranch(CallTarget target, uint sessionExpires)
    {
        var protocol = target.Destination.Protocol;
        var invite = BLegInviteBuilder.Build(_aInvite, target, _env.Via(protocol), _env.Contact(protocol, target.RequestUri.IsSecure), sessionExpires, (uint)_env.Options.MinSessionExpiresSeconds, _offerToB!, _forwards);
        var branch = new Branch(target, invite, sessionExpires);
        _branches.Add(branch);
        _registry.AddLeg(invite.CallId!, this);
        _logScope.BCallId = invite.CallId;
        _env.Observers.BranchStarted(ACallId, invite.CallId!, target.RequestUri.Raw, _forwards.Count > 0);
        branch.Transaction = _env.Transactions.SendRequest(invite, target.Destination, this);
    }

    private void OnBranchResponse(Branch branch, int status, string reason, SipMessage? response)
    {
        if (status >= 200 && !branch.Finished)
        {
            // The upstream's circuit breaker hears every attempt's outcome; 408, 503 and timeouts count against it.
            _env.Router.Health.Report(branch.Target.Upstream, status);
        }

        if (status < 200)
        {
            OnBranchProvisional(branch, response!);
        }
        else if (status < 300)
        {
            OnBranchSuccess(branch, response!);
        }
        else if (!branch.Finished)
        {
            branch.Finished = true;
            OnBranchFailure(branch, status, reason, response);
        }
    }

    private void OnBranchProvisional(Branch branch, SipMessage response)
    {
        // RFC 3261 §9.1: any provisional response, 100 included, means the callee can now take a CANCEL.
        branch.HasProvisional = true;
        if (branch.CancelWanted)
        {
            SendCancel(branch);
            return;
        }

        if (response.StatusCode == 100 || branch.Finished || branch.Abandoned || _answered is not null)
        {
            return;
        }

        if (_machine.Fire(CallTrigger.Provisional) is StateMachines.FireResult.Transitioned or StateMachines.FireResult.Internal)
        {
            _aTransaction.Respond(RelayToA(response, AcrossOrNothing(_b, response)));
        }
    }

    private void OnBranchSuccess(Branch branch, SipMessage response)
    {
        if (branch.AnsweredTag is not null && response.To?.Tag == branch.AnsweredTag)
        {
            // A retransmitted 2xx: our ACK was lost (§13.2.2.4), or after a late offer it still waits for the
            // caller's answer and goes when that comes.
            var ack = branch.Ack ?? (ReferenceEquals(branch, _answered) && _b.LastAck?.CSeq?.Number == response.CSeq?.Number ? _b.LastAck : null);
            if (ack is not null)
            {
                _env.Transactions.SendStateless(ack, branch.Target.Destination);
            }

            return;
        }

        var wasLive = !branch.Finished;
        branch.Finished = true;
        if (_answered is not null || branch.Abandoned || State is not (CallState.Calling or CallState.Ringing))
        {
            // Another branch won, the caller cancelled (the 200 crossed the CANCEL), the call was forwarded
            // elsewhere meanwhile, or the call is over: a 2xx still makes a dialog, so it is ACKed and hung up at
            // once (§15, seed 000).
            if (State == CallState.Cancelling)
            {
                _machine.Fire(CallTrigger.AnswerAfterCancel);
            }

            AcceptAndHangUp(branch, response);
            if (wasLive)
            {
                TryFinish();
            }

            return;
        }

        if (!TryAcross(_b, response, out var answer, out var error))
        {
            // The 2xx made a dialog all the same (§13.2.2.4): ACKed and closed at once; for the caller this branch
            // failed as a 488 would have.
            CallLog.SdpRefused(_env.Logger, _b.Name, error!);
            AcceptAndHangUp(branch, response);
            OnBranchFailure(branch, 488, "Not Acceptable Here", null);
            return;
        }

        Answer(branch, response, answer);
    }

    private void Answer(Branch branch, SipMessage response, byte[] answer)
    {
        _answered = branch;
        _logScope.BCallId = branch.Invite.CallId;
        branch.AnsweredTag = response.To?.Tag;
        AnsweredAt = _env.Time.GetUtcNow();
        _env.Metrics.Answered(AnsweredAt.Value - SetupAt);
        _ = _env.Records.Journal(Journal());
        foreach (var other in _branches)
        {
            if (!other.Finished)
            {
                CancelBranch(other);
            }
        }

        _b.Dialog = Dialog.ForUac(branch.Invite, response);
        _b.Destination = branch.Target.Destination;
        _b.PeerAllowsUpdate = AllowsUpdate(response);
        _b.RemoteSdp = response.Body.IsEmpty ? null : response.Body.ToArray();
        _b.LocalSdp = _offerToB is { Length: > 0 } ? _offerToB : null;
        if (!branch.Invite.Body.IsEmpty)
        {
            SendAck(_b, branch.Invite.CSeq!.Number, []);
            branch.Ack = _b.LastAck;
        }
        else
        {
            // Late offer: the 2xx carries the offer and the caller's ACK will carry the answer (RFC 3264 §4).
            _a.HeldAck = new DeferredAck(_b, branch.Invite.CSeq!.Number, _aInvite.CSeq!.Number);
        }

        NegotiateSessionTimers(branch, response);
        _a.Dialog = Dialog.ForUas(_aInvite, _aTag);
        _a.PeerAllowsUpdate = AllowsUpdate(_aInvite);
        _a.RemoteSdp = _aInvite.Body.IsEmpty ? null : _aInvite.Body.ToArray();
        _a.LocalSdp = answer.Length > 0 ? answer : null;
        var success = RelayToA(response, answer);
        _aTransaction.Respond(success);
        _machine.Fire(CallTrigger.Answered);
        Media.CallAnswered();
        AwaitAck(_a, _aTransaction, success);
        StartLiveness();
    }

    private void OnBranchFailure(Branch branch, int status, string reason, SipMessage? response)
    {
        if (State is CallState.Cancelling or CallState.Terminating)
        {
            TryFinish();
            return;
        }

        if (_answered is not null || branch.Abandoned || State == CallState.Ended)
        {
            // The 487 of a branch we cancelled because another one answered or the call was forwarded.
            return;
        }

        if (status == 422 && branch.SessionExpires > 0 && response?.MinSessionExpires is { } floor && floor > branch.SessionExpires)
        {
            // RFC 4028 §7.3: retry with the callee's minimum.
            StartBranch(branch.Target, floor);
            return;
        }

        if (status is >= 300 and < 400 && _redirects < _env.Options.MaxRedirects && response?.Contacts is { Count: > 0 } contacts)
        {
            _redirectUris.AddRange(contacts.Where(c => c.Address is { Uri.IsSip: true }).Select(c => c.Address!.Uri));
        }
        else if (status >= 600)
        {
            // §16.7 step 5: a 6xx ends the search; the other branches are cancelled. A 600 is busy all the same,
            // so the features still have their say.
            AbandonBranches();
            ConcludeSearch(status, reason);
            return;
        }
        else
        {
            RememberFailure(branch, status, reason);
        }

        if (_branches.Exists(b => !b.Finished))
        {
            return;
        }

        if (_redirectUris.Count > 0)
        {
            Forward();
        }
        else if (_nextGroup < _groups.Count && _groupMayFailOver)
        {
            TryNextGroup();
        }
        else
        {
            var (finalStatus, finalReason) = _bestFailure ?? (480, "Temporarily Unavailable");
            ConcludeSearch(finalStatus, finalReason);
        }
    }

    /// <summary>
    /// §16.7 step 6: the lowest class wins. Registered contacts are searched one q group after another whatever
    /// they answer; an upstream is failed over only when it is unreachable or overloaded (408, 503), and when all
    /// of them are, the caller hears 503 rather than one upstream's 408.
    /// </summary>
    private void RememberFailure(Branch branch, int status, string reason)
    {
        var unreachable = status is 408 or 503;
        if (branch.Target.Upstream is not null && !unreachable)
        {
            _groupMayFailOver = false;
        }

        if (branch.Target.Upstream is not null && unreachable)
        {
            (status, reason) = (503, "Service Unavailable");
        }

        if (_bestFailure is not { } best || status / 100 < best.Status / 100)
        {
            _bestFailure = (status, reason);
        }
    }

    /// <summary>The search is over before its branches are: each pending one is cancelled and whatever it answers later is ignored.</summary>
    private void AbandonBranches()
    {
        foreach (var branch in _branches.Where(b => !b.Finished))
        {
            branch.Abandoned = true;
            CancelBranch(branch);
        }
    }

    /// <summary>Every branch redirected: the new targets are resolved off the lock and tried as the next group.</summary>
    private void Forward()
    {
        _redirects++;
        var uris = _redirectUris.ToList();
        _redirectUris.Clear();
        _machine.Fire(CallTrigger.Redirected);
        _ = ResolveRedirectionAsync(uris);
    }

    private async Task ResolveRedirectionAsync(List<SipUri> uris)
    {
        var targets = new List<CallTarget>();
        foreach (var uri in uris)
        {
            if (await NextHopResolver.ResolveAsync(uri).ConfigureAwait(false) is { } destination)
            {
                targets.Add(new CallTarget(uri, destination, Group: -_redirects));
            }
        }

        Run(() =>
        {
            if (State != CallState.Forwarding)
            {
                // The caller cancelled while we resolved.
                TryFinish();
            }
            else if (targets.Count == 0)
            {
                FailA(480, "Temporarily Unavailable");
            }
            else
            {
                PlanTargets(targets);
                TryNextGroup();
            }
        });
    }

    /// <summary>A 2xx we will not use: ACK it (it made a dialog) and end that dialog with BYE.</summary>
    private void AcceptAndHangUp(Branch branch, SipMessage response)
    {
        var dialog = Dialog.ForUac(branch.Invite, response);
        var destination = branch.Target.Destination;
        branch.AnsweredTag = response.To?.Tag;
        branch.Ack = DialogRequestBuilder.Build(dialog, SipMethod.Ack, branch.Invite.CSeq!.Number, _env.Via(destination.Protocol), _env.Contact(destination.Protocol, dialog.RemoteTarget.IsSecure));
        _env.Transactions.SendStateless(branch.Ack, destination);
        _byesOutstanding++;
        var bye = DialogRequestBuilder.Build(dialog, SipMethod.Bye, dialog.NextLocalCSeq(), _env.Via(destination.Protocol), _env.Contact(destination.Protocol, dialog.RemoteTarget.IsSecure));
        _env.Transactions.SendRequest(bye, destination, this);
    }

    /// <summary>
    /// Our answer to the caller from the callee's: status, reason and body, our own Contact, and for a response
    /// that makes the A-leg dialog the caller's Record-Route copied back (§12.1.1), so proxies in front of us stay
    /// on the path (seed 003).
    /// </summary>
    private SipMessage RelayToA(SipMessage bResponse, byte[] body)
    {
        var contentType = body.Length == 0 ? null : bResponse.GetHeader(HeaderId.ContentType);
        var success = bResponse.StatusCode is >= 200 and < 300;
        return ResponseBuilder.Create(_aInvite, bResponse.StatusCode, bResponse.ReasonPhrase, _aTag, w =>
        {
            foreach (var recordRoute in _aInvite.GetHeaderLines(HeaderId.RecordRoute))
            {
                w.WriteHeader(HeaderId.RecordRoute, recordRoute);
            }

            if (success)
            {
                WriteDialogResponseHeaders(w, _a, _aInvite);
            }
            else
            {
                w.WriteHeader(HeaderId.Contact, _env.Contact(_aInvite.Source!.Protocol, _aInvite.RequestUri!.IsSecure));
            }
        }, body, contentType);
    }

    private const string AllowedInDialog = "INVITE, ACK, CANCEL, OPTIONS, BYE, INFO, UPDATE";

    private static bool AllowsUpdate(SipMessage message) =>
        message.GetValues(HeaderId.Allow).Exists(m => m.Equals("UPDATE", StringComparison.OrdinalIgnoreCase));
}
