using FeatureB2bua.Core.Tracing;

namespace FeatureB2bua.Hosting;

/// <summary>The one reader of the trace queue: files each entry into the trace book off the hot path and tells the live view which call grew.</summary>
internal sealed partial class TraceFilingService(SipTraceQueue queue, TraceBook book, ConsoleEventHub events, ILogger<TraceFilingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (queue.Reader.TryRead(out var entry))
                {
                    while (queue.TryTakeRescued(out var rescued))
                    {
                        File(rescued);
                    }

                    File(entry);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void File(in TraceEntry entry)
    {
        try
        {
            if (book.File(entry) is { } filed)
            {
                events.Publish(new ConsoleEvent(ConsoleEventKind.Trace, filed.CallId, filed.Messages));
            }
        }
        catch (Exception ex)
        {
            // A message the filer cannot take loses its own line in the trace, never the trace.
            FilingFailed(logger, ex);
        }
        finally
        {
            SipTraceQueue.Release(entry);
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "A SIP trace entry could not be filed; it is left out")]
    private static partial void FilingFailed(ILogger logger, Exception exception);
}
