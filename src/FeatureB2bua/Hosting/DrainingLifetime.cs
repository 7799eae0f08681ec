using System.Runtime.InteropServices;
using FeatureB2bua.Core.Signalling;

namespace FeatureB2bua.Hosting;

/// <summary>
/// How the server process ends, in place of the console lifetime. SIGTERM or SIGINT, like <c>POST /api/drain</c>,
/// starts the <see cref="Drain"/>, and the application is stopped once it is over, so the process exits 0. Nothing
/// stops before that: the SIP stack serves the calls in progress and sends their BYEs, and the HTTP listener answers
/// <c>/readyz</c> and <c>/metrics</c> throughout. A second signal stops at once (calls still up are cut), as does
/// SIGQUIT; a stop asked for in code (tests, an embedding host) stops at once too.
/// </summary>
internal sealed partial class DrainingLifetime(IServiceProvider services, IHostApplicationLifetime application, ILogger<DrainingLifetime> logger)
    : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _signals = [];
    private Drain? _drain;
    private int _drainSignals;

    private Drain Drain => _drain ?? throw new InvalidOperationException("The host has not started.");

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        // Resolved here, not in the constructor: the host builds its lifetime before /metrics has its MeterProvider,
        // and the drain brings up the call registry, whose counters that start at zero must be heard.
        _drain = services.GetRequiredService<Drain>();
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnDrainSignal));
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnDrainSignal));
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnStopSignal));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        _signals.Clear();
    }

    /// <summary>Starts the drain (once; again is harmless) and stops the application when it is over. Returns the calls still in progress.</summary>
    public int BeginDrain()
    {
        _ = StopWhenDrainedAsync();
        return Drain.CallsRemaining;
    }

    private async Task StopWhenDrainedAsync()
    {
        await Drain.StartAsync().ConfigureAwait(false);
        application.StopApplication();
    }

    private void OnDrainSignal(PosixSignalContext context)
    {
        // Cancelled: the runtime's default action would end the process here and now.
        context.Cancel = true;
        if (Interlocked.Increment(ref _drainSignals) > 1)
        {
            StoppingNow(logger, context.Signal);
            application.StopApplication();
            return;
        }

        DrainSignal(logger, context.Signal);
        BeginDrain();
    }

    private void OnStopSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        StoppingNow(logger, context.Signal);
        application.StopApplication();
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "{Signal}: draining, then stopping; send it again to stop at once")]
    private static partial void DrainSignal(ILogger logger, PosixSignal signal);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "{Signal}: stopping at once; calls still in progress are cut")]
    private static partial void StoppingNow(ILogger logger, PosixSignal signal);
}
