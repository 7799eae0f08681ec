using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Features;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Routing;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Sip.Limits;
using FeatureB2bua.Sip.Stack;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

internal static class CallServiceCollectionExtensions
{
    /// <summary>
    /// Routing with upstream health and probes, the call registry, and the way CDRs go to the store (<see cref="ICallRecordStore"/> comes with the
    /// storage). Register before the SIP server: hosted services stop in reverse order, so the CDR writer drains its
    /// queue after the SIP stack has stopped and no call can end any more.
    /// </summary>
    public static IServiceCollection AddCalls(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CallOptions>().Bind(configuration.GetSection(CallOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FeatureOptions>().Bind(configuration.GetSection(FeatureOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CallLimitOptions>().Bind(configuration.GetSection(CallLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new CallAdmission(sp.GetRequiredService<IOptions<CallLimitOptions>>().Value, sp.GetRequiredService<LimitMetrics>()));
        services.AddSingleton<CallPresence>();
        services.AddSingleton(sp => new LocalDomain(sp.GetRequiredService<IOptions<SipOptions>>().Value.Domain, sp.GetRequiredService<IOptions<RegistrarOptions>>().Value.Aliases));
        services.AddSingleton(sp => new SubscriberLookup(sp.GetRequiredService<ISubscriberStore>(), sp.GetRequiredService<LocalDomain>()));
        services.AddOptions<CallRecordOptions>().Bind(configuration.GetSection(CallRecordOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new CallRecordMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<IMediaSessionFactory>(PassThroughMedia.Instance);
        services.AddSingleton(sp => new CallMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new CallRecordQueue(sp.GetRequiredService<IOptions<CallRecordOptions>>().Value.QueueSize, sp.GetRequiredService<CallRecordMetrics>()));
        services.AddSingleton<ICallRecordSink>(sp => sp.GetRequiredService<CallRecordQueue>());
        services.AddHostedService<CallRecordWriter>();
        services.AddSingleton(sp => new UpstreamHealth(
            sp.GetRequiredService<IOptions<RoutingOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new CallRouter(
            sp.GetRequiredService<ILocationStore>(),
            sp.GetRequiredService<IOptions<RoutingOptions>>().Value,
            sp.GetRequiredService<LocalDomain>(),
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
            var features = new CallFeatureChain(sp.GetRequiredService<IOptions<FeatureOptions>>().Value, sp.GetServices<ICallFeature>());
            sp.GetRequiredService<CallMetrics>().FeaturesEnabled(features.Names);
            var environment = new CallEnvironment(
                stack.Transactions,
                protocol => stack.SentBy(protocol),
                sp.GetRequiredService<CallRouter>(),
                features,
                sp.GetRequiredService<SubscriberLookup>(),
                sp.GetRequiredService<CallPresence>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<SipOptions>>().Value.Timers,
                sp.GetRequiredService<IOptions<CallOptions>>().Value,
                sp.GetRequiredService<ICallRecordSink>(),
                sp.GetRequiredService<IMediaSessionFactory>(),
                sp.GetRequiredService<CallMetrics>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<Call>())
            {
                Observers = sp.GetService<CallObservers>() ?? CallObservers.None,
            };
            return new CallRegistry(environment, sp.GetRequiredService<CallAdmission>());
        });
        return services;
    }
}
