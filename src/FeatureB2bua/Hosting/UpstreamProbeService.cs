using FeatureB2bua.Core.Routing;

namespace FeatureB2bua.Hosting;

/// <summary>Runs the upstream OPTIONS probes while the server runs; registered after the SIP service, so the transports are bound first.</summary>
internal sealed class UpstreamProbeService(UpstreamProber prober) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        prober.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        prober.Dispose();
        return Task.CompletedTask;
    }
}
