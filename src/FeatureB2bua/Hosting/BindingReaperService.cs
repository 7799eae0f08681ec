using FeatureB2bua.Core.Registration;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

/// <summary>
/// Deletes expired bindings every <see cref="RegistrarOptions.ReaperInterval"/> on the injected clock (reads already
/// hide them) and refreshes the active-bindings gauge: counting on every REGISTER would cost a scan per request. Every
/// node of a cluster runs one; the shared store lets one node at a time reap, so the reaped count adds up across nodes.
/// </summary>
internal sealed partial class BindingReaperService(
    ILocationStore locations,
    Registrar registrar,
    RegistrarMetrics metrics,
    IOptions<RegistrarOptions> options,
    TimeProvider time,
    ILogger<BindingReaperService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReaperInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var removed = await locations.RemoveExpiredAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                    await registrar.RefreshActiveCountAsync(stoppingToken).ConfigureAwait(false);
                    if (removed > 0)
                    {
                        metrics.Reaped(removed);
                        Reaped(logger, removed);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ReapFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Removed {Count} expired bindings")]
    private static partial void Reaped(ILogger logger, int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Removing expired bindings failed; retrying on the next tick")]
    private static partial void ReapFailed(ILogger logger, Exception exception);
}
