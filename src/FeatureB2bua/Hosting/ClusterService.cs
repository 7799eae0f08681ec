using FeatureB2bua.Core.Calls;

namespace FeatureB2bua.Hosting;

/// <summary>
/// No ghost calls (docs/ghost-calls.md). Every <see cref="ClusterOptions.HeartbeatInterval"/> this node records in
/// the shared store that it is alive, then looks for nodes silent for <see cref="ClusterOptions.DeadAfter"/> that still
/// have calls in the journal: it closes them (interrupted CDRs; the store hands each call to one taker only) and sends
/// BYE to both legs. At start it hangs up the calls its own previous run left, which the CDR writer has closed. The
/// BYEs run beside the heartbeat, never in its way: a heartbeat held up by a dead peer's 32 s timeouts would make this
/// node look dead too.
/// </summary>
internal sealed partial class ClusterService(
    ICallRecordStore store,
    OrphanCallHangup hangup,
    PreviousRunCalls previousRun,
    ClusterOptions options,
    TimeProvider time,
    ILogger<ClusterService> logger) : BackgroundService
{
    private readonly List<Task> _hangups = [];

    /// <summary>
    /// Stops beating, then lets the BYEs in flight have their answers within the host's shutdown time: the stack stops
    /// after this service, and the calls they end are already out of the journal.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_hangups).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown time is up; the phones' own timers end what is left.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Started(logger, options.NodeId, options.HeartbeatInterval, options.DeadAfter);
        var previous = await previousRun.Closed.WaitAsync(stoppingToken).ConfigureAwait(false);
        if (previous.Count > 0)
        {
            Track(hangup.HangUpAsync(previous, OrphanCallHangup.Restart));
        }

        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        do
        {
            await BeatAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task BeatAsync(CancellationToken stoppingToken)
    {
        try
        {
            var now = time.GetUtcNow();
            await store.BeatAsync(options.NodeId, now, stoppingToken).ConfigureAwait(false);
            foreach (var node in await store.ListSilentNodesAsync(options.NodeId, now - options.DeadAfter, stoppingToken).ConfigureAwait(false))
            {
                var calls = await store.CloseInterruptedAsync(node, stoppingToken).ConfigureAwait(false);
                if (calls.Count > 0)
                {
                    TookOver(logger, node, calls.Count);
                    Track(hangup.HangUpAsync(calls, OrphanCallHangup.Takeover));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the next start beats again.
        }
        catch (Exception ex)
        {
            // The store is down or slow: try again at the next beat; meanwhile others may take this node for dead.
            BeatFailed(logger, ex, options.NodeId);
        }
    }

    private void Track(Task hangups)
    {
        _hangups.RemoveAll(t => t.IsCompleted);
        _hangups.Add(hangups);
    }

    [LoggerMessage(EventId = 4503, Level = LogLevel.Information, Message = "Cluster node '{Node}': heartbeat every {Interval}, a node silent for {DeadAfter} is taken over")]
    private static partial void Started(ILogger logger, string node, TimeSpan interval, TimeSpan deadAfter);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Warning, Message = "Node '{Node}' is silent: took over its {Count} calls, CDRs closed as interrupted, hanging up their legs")]
    private static partial void TookOver(ILogger logger, string node, int count);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Error, Message = "Heartbeat of node '{Node}' failed; retrying at the next interval")]
    private static partial void BeatFailed(ILogger logger, Exception exception, string node);
}
