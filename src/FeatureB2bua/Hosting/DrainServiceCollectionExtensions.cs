using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Signalling;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

internal static class DrainServiceCollectionExtensions
{
    /// <summary>The drain, the lifetime that starts it on SIGTERM and SIGINT, and the checks of <c>/readyz</c>.</summary>
    public static IServiceCollection AddHealthAndDrain(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DrainOptions>().Bind(configuration.GetSection(DrainOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new Drain(
            sp.GetRequiredService<CallRegistry>(),
            sp.GetRequiredService<IOptions<DrainOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CallMetrics>(),
            sp.GetRequiredService<ILogger<Drain>>()));
        services.AddSingleton<DrainingLifetime>();
        services.AddSingleton<IHostLifetime>(sp => sp.GetRequiredService<DrainingLifetime>());
        services.AddReadinessChecks();
        return services;
    }
}
