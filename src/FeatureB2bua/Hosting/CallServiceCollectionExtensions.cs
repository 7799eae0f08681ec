using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Routing;
using FeatureB2bua.Sip.Stack;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

internal static class CallServiceCollectionExtensions
{
    /// <summary>Routing with upstream health and probes, the call registry and where CDRs go.</summary>
    public static IServiceCollection AddCalls(this IServiceCollection services)
    {
        services.AddSingleton<RecentCallRecords>();
        services.AddSingleton<ICallRecordSink>(sp => sp.GetRequiredService<RecentCallRecords>());
        services.AddSingleton(sp => new UpstreamHealth(
            sp.GetRequiredService<IOptions<RoutingOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new CallRouter(
            sp.GetRequiredService<ILocationStore>(),
            sp.GetRequiredService<IOptions<RoutingOptions>>().Value,
            new LocalDomain(sp.GetRequiredService<IOptions<SipOptions>>().Value.Domain, sp.GetRequiredService<IOptions<RegistrarOptions>>().Value.Aliases),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<UpstreamHealth>()));
        services.AddSingleton(sp =>
        {
            var stack = sp.GetRequiredService<SipStack>();
            return new UpstreamProber(
                sp.GetRequiredService<UpstreamHealth>(),
                stack.Transactions,
                protocol => stack.SentBy(protocol),
                sp.GetRequiredService<IOptions<SipOptions>>().Value.Domain,
                sp.GetRequiredService<IOptions<RoutingOptions>>().Value.Probe.Interval,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<UpstreamProber>>());
        });
        services.AddHostedService<UpstreamProbeService>();
        services.AddSingleton(sp =>
        {
            var stack = sp.GetRequiredService<SipStack>();
            return new CallRegistry(new CallEnvironment(
                stack.Transactions,
                protocol => stack.SentBy(protocol),
                sp.GetRequiredService<CallRouter>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<SipOptions>>().Value.Timers,
                sp.GetRequiredService<ICallRecordSink>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<Call>()));
        });
        return services;
    }
}
