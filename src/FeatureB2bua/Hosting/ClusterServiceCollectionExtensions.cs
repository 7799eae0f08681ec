using FeatureB2bua.Core.Calls;
using FeatureB2bua.Sip.Stack;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

internal static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// The heartbeat and the hang-up of orphaned calls (<see cref="ClusterService"/>). Register after the SIP server:
    /// hosted services start in order, so the stack is listening before the first BYE, and stop in reverse, so the
    /// BYEs in flight at a stop still have a stack to be answered on.
    /// </summary>
    public static IServiceCollection AddCluster(this IServiceCollection services)
    {
        services.AddSingleton<PreviousRunCalls>();
        services.AddSingleton(sp => new OrphanCallMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp =>
        {
            var stack = sp.GetRequiredService<SipStack>();
            return new OrphanCallHangup(stack.Transactions, protocol => stack.SentBy(protocol), sp.GetRequiredService<OrphanCallMetrics>(), sp.GetRequiredService<ILogger<OrphanCallHangup>>());
        });
        services.AddHostedService(sp => new ClusterService(
            sp.GetRequiredService<ICallRecordStore>(),
            sp.GetRequiredService<OrphanCallHangup>(),
            sp.GetRequiredService<PreviousRunCalls>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ClusterService>>()));
        return services;
    }
}
