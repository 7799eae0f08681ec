using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Core.Routing;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Subscribers;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

internal static class RegistrarServiceCollectionExtensions
{
    /// <summary>The store, digest authentication and the registrar, bound to their configuration sections.</summary>
    public static IServiceCollection AddRegistrar(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<ProvisioningOptions>().Bind(configuration.GetSection(ProvisioningOptions.Section));
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        services.AddOptions<RegistrarOptions>().Bind(configuration.GetSection(RegistrarOptions.Section));
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.Section));

        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        services.AddStorage(storage);
        services.AddSingleton(sp => new AuthMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new RegistrarMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new TrustedSources(sp.GetRequiredService<IOptions<RoutingOptions>>().Value.Trusted));
        services.AddSingleton(sp =>
        {
            var auth = sp.GetRequiredService<IOptions<AuthOptions>>().Value;
            return new NonceService(auth.NonceSecret, Domain(sp), auth.NonceLifetime, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new NonceCountTracker(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AuthOptions>>().Value.NonceLifetime));
        services.AddSingleton(sp => new AuthFailureTracker(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AuthOptions>>().Value));
        services.AddSingleton(sp => new DigestVerifier(Domain(sp)));
        services.AddSingleton(sp => new DigestAuthenticator(
            sp.GetRequiredService<ISubscriberStore>(),
            sp.GetRequiredService<NonceService>(),
            sp.GetRequiredService<NonceCountTracker>(),
            sp.GetRequiredService<AuthFailureTracker>(),
            sp.GetRequiredService<TrustedSources>(),
            sp.GetRequiredService<IOptions<AuthOptions>>().Value,
            sp.GetRequiredService<AuthMetrics>(),
            sp.GetRequiredService<DigestVerifier>(),
            Domain(sp)));
        services.AddSingleton(sp => new Registrar(
            sp.GetRequiredService<ILocationStore>(),
            sp.GetRequiredService<ISubscriberStore>(),
            sp.GetRequiredService<IOptions<RegistrarOptions>>().Value,
            Domain(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<RegistrarMetrics>()));

        // Provisioning must finish before the SIP listeners open, so it is registered first.
        services.AddHostedService<ProvisioningHostedService>();
        services.AddHostedService<BindingReaperService>();
        return services;
    }

    private static string Domain(IServiceProvider services) => services.GetRequiredService<IOptions<SipOptions>>().Value.Domain;
}
