using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Moves CDRs from the <see cref="CallRecordQueue"/> to the <see cref="ICallRecordStore"/>. It wakes as soon as a record
/// is queued and writes whatever has gathered meanwhile as one batch, so under light load a record is in the store a
/// commit's time after its call ended, and under heavy load batches grow instead of the queue. A failed batch is
/// retried after <see cref="RetryDelay"/>, up to <see cref="MaxAttempts"/> times, then dropped and counted; nothing
/// here stops the host. On stop it closes the queue and writes everything still in it.
/// </summary>
public sealed partial class CallRecordWriter(
    CallRecordQueue queue, ICallRecordStore store, CallRecordMetrics metrics, TimeProvider time, ILogger<CallRecordWriter> logger) : BackgroundService
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
        var batch = new List<CallRecord>(MaxBatch);

        // Not bound to stoppingToken: the loop ends when the closed queue is empty, so a stop flushes instead of discarding.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            await WriteAsync(batch, stoppingToken).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<CallRecord> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Never cancelled: the records are already off the queue, and a write cut short would lose them.
                await store.AddAsync(batch, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                metrics.WriteFailed();
                if (attempt >= MaxAttempts || stoppingToken.IsCancellationRequested)
                {
                    metrics.Dropped(batch.Count, "store_error");
                    BatchDropped(logger, ex, batch.Count, attempt);
                    return;
                }

                WriteFailed(logger, ex, batch.Count, attempt);
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
}
