using FeatureB2bua.Sip.Dialogs;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Ends the dialogs of calls whose process died (docs/ghost-calls.md): one BYE per journaled leg, built from the leg's
/// stored dialog as RFC 3261 §12.2.1.1 and §15.1.1 say, sent in a client transaction of this process's stack (which
/// retransmits it, §17.1.2) from this process's own address, so the answer comes here. The CDRs are the store's job
/// (<see cref="ICallRecordStore.CloseInterruptedAsync"/>); this only tells the phones.
/// </summary>
public sealed partial class OrphanCallHangup(TransactionLayer transactions, Func<TransportProtocol, string?> sentBy, OrphanCallMetrics metrics, ILogger<OrphanCallHangup> logger)
{
    /// <summary>How a call was found: this node's previous run, a silent node, an operator's command.</summary>
    public const string Restart = "restart";
    public const string Takeover = "takeover";
    public const string Command = "command";

    /// <summary>Hangs up every call; completes when each BYE has its final answer or has timed out (Timer F, 64*T1).</summary>
    public Task HangUpAsync(IReadOnlyList<OpenCall> calls, string how) => Task.WhenAll(calls.Select(call => HangUpAsync(call, how)));

    /// <summary>The outcome of each leg's BYE (see <see cref="OrphanCallMetrics"/>); none for a call that was never answered.</summary>
    public async Task<IReadOnlyList<string>> HangUpAsync(OpenCall call, string how)
    {
        var scope = new CallLogScope(call.CallId);
        using var entered = logger.BeginScope(scope);
        if (CallLegs.FromJson(call.Legs) is not { Legs.Count: > 0 } legs)
        {
            // Not answered (or answered in the last moment before the journal had its dialogs): no dialog to end.
            NoDialog(logger, how, call.Node);
            return [];
        }

        scope.BCallId = legs.Legs.FirstOrDefault(l => l.Name != "A")?.CallId;
        var outcomes = await Task.WhenAll(legs.Legs.Select(SendByeAsync)).ConfigureAwait(false);
        metrics.CallHungUp(how);
        HungUp(logger, how, call.Node, string.Join(", ", legs.Legs.Zip(outcomes, (leg, outcome) => leg.Name + " " + outcome)));
        return outcomes;
    }

    private async Task<string> SendByeAsync(LegDialog leg)
    {
        var outcome = "invalid";
        if (leg.ToDialog() is { } dialog && leg.ToDestination() is { } destination)
        {
            outcome = sentBy(destination.Protocol) is { } address
                ? await SendByeAsync(dialog, destination, address).ConfigureAwait(false)
                : "unreachable";
        }

        metrics.Bye(outcome);
        return outcome;
    }

    private async Task<string> SendByeAsync(Dialog dialog, SipDestination destination, string address)
    {
        // §15.1.1: a BYE in the dialog with the next CSeq; BYE carries no Contact, so none is passed.
        var bye = DialogRequestBuilder.Build(dialog, SipMethod.Bye, dialog.NextLocalCSeq(), ViaHeader.Ours(destination.Protocol, address), contact: string.Empty);
        var answer = new ByeAnswer();
        transactions.SendRequest(bye, destination, answer);
        return await answer.Outcome.ConfigureAwait(false);
    }

    /// <summary>The final outcome of one BYE's client transaction.</summary>
    private sealed class ByeAnswer : IClientTransactionUser
    {
        private readonly TaskCompletionSource<string> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Outcome => _outcome.Task;

        // §15: a 481 or 408 to a BYE means the dialog is over all the same; so is no answer at all (§8.1.3.1: a 408).
        public void OnResponse(ClientTransaction transaction, SipMessage response)
        {
            if (response.StatusCode >= 200)
            {
                _outcome.TrySetResult(response.StatusCode switch
                {
                    < 300 => "ended",
                    408 or 481 => "gone",
                    _ => "refused",
                });
            }
        }

        public void OnTimeout(ClientTransaction transaction) => _outcome.TrySetResult("gone");

        public void OnTransportError(ClientTransaction transaction) => _outcome.TrySetResult("unreachable");
    }

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Call of node '{Node}' closed as interrupted ({How}); its legs were hung up: {Outcomes}")]
    private static partial void HungUp(ILogger logger, string how, string node, string outcomes);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Call of node '{Node}' closed as interrupted ({How}); it was not answered, so there was no dialog to hang up")]
    private static partial void NoDialog(ILogger logger, string how, string node);
}
