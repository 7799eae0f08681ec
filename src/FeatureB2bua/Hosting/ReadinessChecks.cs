using FeatureB2bua.Core.Signalling;
using FeatureB2bua.Core.Storage;
using FeatureB2bua.Sip.Stack;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FeatureB2bua.Hosting;

/// <summary>What <c>/readyz</c> checks, one line of its answer each: the SIP listen points, the store, and the drain.</summary>
internal static class ReadinessChecks
{
    public const string Tag = "ready";

    /// <summary>A store that has not answered by then is as good as unreachable for a probe.</summary>
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(2);

    public static IServiceCollection AddReadinessChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<SipListening>("sip", tags: [Tag])
            .AddCheck<StoreReachable>("store", tags: [Tag])
            .AddCheck<NotDraining>("draining", tags: [Tag]);
        return services;
    }

    /// <summary>The stack started and every listen point is bound and receiving.</summary>
    private sealed class SipListening(SipStack stack) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            var points = string.Join(", ", stack.Transports.Select(t => $"{t.Protocol.ToString().ToLowerInvariant()}:{t.LocalEndPoint}"));
            return Task.FromResult(stack.IsListening
                ? HealthCheckResult.Healthy($"listening on {points}")
                : HealthCheckResult.Unhealthy($"not listening on {points}"));
        }
    }

    /// <summary>A cheap read of the configured store answers within <see cref="StoreTimeout"/>.</summary>
    private sealed class StoreReachable(IStore store, TimeProvider time) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                await store.PingAsync(cancellationToken).WaitAsync(StoreTimeout, time, cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy("reachable");
            }
            catch (TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"no answer within {StoreTimeout.TotalSeconds:0} s");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        }
    }

    /// <summary>A draining node takes no new calls, so a balancer or orchestrator should send it none.</summary>
    private sealed class NotDraining(Drain drain) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
            Task.FromResult(drain.IsDraining
                ? HealthCheckResult.Unhealthy($"draining, {drain.CallsRemaining} calls left")
                : HealthCheckResult.Healthy("not draining"));
    }
}
