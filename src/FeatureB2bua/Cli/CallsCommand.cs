using System.CommandLine;
using System.Net;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Hosting;
using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Limits;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Stack;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureB2bua.Cli;

/// <summary>
/// <c>calls close-node NODE</c>: for an operator who knows a node is dead and will not wait for (or has no) other node to
/// take its calls over: closes the calls it left in the shared journal (CDR interrupted) and sends BYE to their legs
/// from a SIP stack of this process, on the addresses of <c>Sip:Listen</c> with ports the system picks (docs/ghost-calls.md).
/// </summary>
internal static class CallsCommand
{
    public static Command Create(TextWriter output, Func<ICallRecordStore> store, IConfiguration configuration)
    {
        var node = new Argument<string>("node") { Description = "the Cluster:NodeId of a node that is known to be dead (its live calls would be hung up too)" };
        var closeNode = new Command("close-node", "Close the calls a dead node left open (CDR interrupted) and send BYE to both legs of each") { node };
        closeNode.SetAction(async (result, ct) =>
        {
            var name = result.GetValue(node)!;
            var calls = await store().CloseInterruptedAsync(name, ct);
            await output.WriteLineAsync($"closed {calls.Count} calls of node {name}");
            if (calls.Count == 0)
            {
                return 0;
            }

            await using var stack = OwnStack(configuration);
            var hangup = new OrphanCallHangup(stack.Transactions, protocol => stack.SentBy(protocol), new OrphanCallMetrics(), NullLogger<OrphanCallHangup>.Instance);
            var outcomes = await Task.WhenAll(calls.Select(call => hangup.HangUpAsync(call, OrphanCallHangup.Command)));
            foreach (var (call, legs) in calls.Zip(outcomes))
            {
                await output.WriteLineAsync(legs.Count == 0 ? $"{call.CallId}: not answered, no dialog to hang up" : $"{call.CallId}: BYE {string.Join(", ", legs)}");
            }

            var byes = outcomes.SelectMany(o => o).GroupBy(o => o).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
            await output.WriteLineAsync($"sent {outcomes.Sum(o => o.Count)} BYEs: {string.Join(", ", byes)}");
            return 0;
        });

        return new Command("calls", "Calls in the journal of open calls") { closeNode };
    }

    /// <summary>A stack on every Sip:Listen address, with a port of its own: the server may be running and hold the configured ones.</summary>
    private static SipStack OwnStack(IConfiguration configuration)
    {
        var configured = configuration.GetSection(SipOptions.Section).Get<SipOptions>() ?? new SipOptions();
        var sip = new SipOptions
        {
            Domain = configured.Domain,
            Timers = configured.Timers,
            Transport = configured.Transport,
            Tls = configured.Tls,
            Listen = [.. configured.Listen.Select(ListenPoint.Parse).Select(p => (p with { EndPoint = new IPEndPoint(p.EndPoint.Address, 0) }).ToString())],
        };
        var stack = SipStackFactory.Create(sip, new SipLimitOptions(), TimeProvider.System, new SipMetrics(), NullLoggerFactory.Instance);
        stack.Start(new NoDialogs());
        return stack;
    }

    /// <summary>This stack holds no dialog: a request that reaches it gets 481 (RFC 3261 §12.2.2).</summary>
    private sealed class NoDialogs : ITransactionUser
    {
        public void OnRequest(ServerTransaction transaction, SipMessage request) =>
            transaction.Respond(ResponseBuilder.Create(request, 481, "Call/Transaction Does Not Exist", TagGenerator.New()));

        public void OnAck(SipMessage ack)
        {
        }

        public void OnStrayResponse(SipMessage response)
        {
        }

        public void OnServerTimeout(ServerTransaction transaction)
        {
        }
    }
}
