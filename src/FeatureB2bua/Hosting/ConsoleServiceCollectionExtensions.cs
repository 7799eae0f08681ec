using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Tracing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

internal static class ConsoleServiceCollectionExtensions
{
    /// <summary>
    /// The console's server side (docs/console.md): the SIP trace (a tap on the stack and an observer of the calls
    /// feeding a bounded queue, filed in the background), the live events, and the location store wrapped so that
    /// binding changes reach them. Call after the store is registered.
    /// </summary>
    public static IServiceCollection AddConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TraceOptions>().Bind(configuration.GetSection(TraceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new TraceMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new SipTraceQueue(
            sp.GetRequiredService<IOptions<TraceOptions>>().Value.TraceQueue, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<TraceMetrics>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TraceOptions>>().Value;
            return new TraceBook(options.TraceCalls, options.TraceMessagesPerCall);
        });
        services.AddSingleton<ConsoleEventHub>();
        services.AddSingleton(sp =>
        {
            var events = sp.GetRequiredService<ConsoleEventHub>();
            return sp.GetRequiredService<IOptions<TraceOptions>>().Value.Trace
                ? new CallObservers(sp.GetRequiredService<SipTraceQueue>(), events)
                : new CallObservers(events);
        });
        services.AddHostedService<TraceFilingService>();

        var store = services.Last(d => d.ServiceType == typeof(ILocationStore));
        services.Replace(ServiceDescriptor.Singleton<ILocationStore>(sp => new NotifyingLocationStore(Resolve(store, sp), sp.GetRequiredService<ConsoleEventHub>())));
        return services;
    }

    private static ILocationStore Resolve(ServiceDescriptor descriptor, IServiceProvider services) =>
        (ILocationStore)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
