using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Limits;
using FeatureB2bua.Sip.Stack;
using FeatureB2bua.Sip.Uas;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureB2bua.Hosting;

internal static class ServiceCollectionExtensions
{
    /// <summary>Registers the SIP stack and its options; defaults go in with TryAdd so tests can replace them (the clock above all).</summary>
    public static IServiceCollection AddSipServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SipOptions>().Bind(configuration.GetSection(SipOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SipLimitOptions>().Bind(configuration.GetSection(SipLimitOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SipMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(new UasCapabilities());
        services.AddSingleton(LimitGauges.Create);
        services.AddSingleton(SipStackFactory.Create);
        services.AddHostedService<SipHostedService>();
        return services;
    }
}
