using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Moves CDRs and journal entries from the <see cref="CallRecordQueue"/> to the <see cref="ICallRecordStore"/>. It wakes
/// as soon as an entry is queued and commits whatever has gathered meanwhile as one transaction (group commit), then
/// releases the calls waiting for it; so under light load a call waits a commit's time, and under heavy load batches
/// grow instead of the queue. A failed batch is retried after <see cref="RetryDelay"/>, up to <see cref="MaxAttempts"/>
/// times, then dropped and counted, and its calls go on all the same; nothing here stops the host. Before the first
/// batch it closes the calls a crash of this node (<see cref="ClusterOptions.NodeId"/>) left in the journal; on stop it
/// closes the queue and writes everything still in it. It stamps the node on every journal entry, so that a node closes
/// only its own calls and the calls of a dead node can be told apart from those of the living. The calls it closed at
/// start go to <see cref="PreviousRunCalls"/>, whose legs the cluster service hangs up.
/// </summary>
public sealed partial class CallRecordWriter(
    CallRecordQueue queue,
    ICallRecordStore store,
    CallRecordMetrics metrics,
    TimeProvider time,
    ClusterOptions cluster,
    PreviousRunCalls previousRun,
    ILogger<CallRecordWriter> logger)
    : BackgroundService
{
    public const int MaxBatch = 500;

    public const int MaxAttempts = 3;

    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Close();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await CloseInterruptedAsync().ConfigureAwait(false);
        var batch = new List<CallRecordEntry>(MaxBatch);

        // Not bound to stoppingToken: the loop ends when the closed queue is empty, so a stop flushes instead of discarding.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            await WriteAsync(batch, stoppingToken).ConfigureAwait(false);
            batch.ForEach(entry => entry.Complete());
            batch.Clear();
        }
    }

    /// <summary>One attempt: a store that fails here still takes this process's CDRs, and the calls stay in the journal for the next start.</summary>
    private async Task CloseInterruptedAsync()
    {
        IReadOnlyList<OpenCall> closed = [];
        try
        {
            closed = await store.CloseInterruptedAsync(cluster.NodeId, CancellationToken.None).ConfigureAwait(false);
            if (closed.Count > 0)
            {
                InterruptedClosed(logger, closed.Count);
            }
        }
        catch (Exception ex)
        {
            metrics.WriteFailed();
            InterruptedFailed(logger, ex);
        }

        previousRun.Set(closed);
    }

    private async Task WriteAsync(List<CallRecordEntry> batch, CancellationToken stoppingToken)
    {
        var openCalls = batch.Where(e => e.OpenCall is not null).Select(e => e.OpenCall! with { Node = cluster.NodeId }).ToList();
        var records = batch.Where(e => e.Record is not null).Select(e => e.Record!).ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Never cancelled: the records are already off the queue, and a write cut short would lose them.
                await store.RecordAsync(openCalls, records, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                metrics.WriteFailed();
                if (attempt >= MaxAttempts || stoppingToken.IsCancellationRequested)
                {
                    metrics.Dropped(records.Count, "store_error");
                    BatchDropped(logger, ex, records.Count, attempt);
                    return;
                }

                WriteFailed(logger, ex, records.Count, attempt);
            }

            try
            {
                await Task.Delay(RetryDelay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: one last attempt now rather than after the delay.
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Writing {Count} CDRs failed (attempt {Attempt}); retrying")]
    private static partial void WriteFailed(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Writing {Count} CDRs failed (attempt {Attempt}); they are lost")]
    private static partial void BatchDropped(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "{Count} calls were in progress when the server last stopped without ending them; their CDRs say interrupted")]
    private static partial void InterruptedClosed(ILogger logger, int count);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "Closing the calls a crash left open failed; they stay in the journal until the next start")]
    private static partial void InterruptedFailed(ILogger logger, Exception exception);
}
