using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Core.Security;
using FeatureB2bua.Sip.Stack;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

internal static class SecurityServiceCollectionExtensions
{
    /// <summary>The flood gate, its ban list and the scanner filter, bound to <c>Security:Flood</c> and <c>Security:Scanners</c>.</summary>
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FloodOptions>().Bind(configuration.GetSection(FloodOptions.Section));
        services.AddOptions<ScannerOptions>().Bind(configuration.GetSection(ScannerOptions.Section));
        services.AddSingleton(sp => new SourceBanList(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<FloodOptions>>().Value.MaxSources));
        services.AddSingleton<IRequestGate>(sp => new FloodGate(
            sp.GetRequiredService<IOptions<FloodOptions>>().Value,
            sp.GetRequiredService<IOptions<ScannerOptions>>().Value,
            sp.GetRequiredService<TrustedSources>(),
            sp.GetRequiredService<SourceBanList>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        return services;
    }
}
