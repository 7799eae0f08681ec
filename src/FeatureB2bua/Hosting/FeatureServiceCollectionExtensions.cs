using FeatureB2bua.Core.Features;

namespace FeatureB2bua.Hosting;

internal static class FeatureServiceCollectionExtensions
{
    /// <summary>
    /// Every feature module compiled from features/ (each <see cref="ICallFeature"/> there), so that adding a feature is
    /// one folder and one line of <c>Features:Enabled</c>. Registered ones stay off until named there.
    /// </summary>
    public static IServiceCollection AddFeatureModules(this IServiceCollection services)
    {
        var modules = typeof(Features.Busy.BusyFeature).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICallFeature).IsAssignableFrom(t));
        foreach (var module in modules)
        {
            services.AddSingleton(typeof(ICallFeature), module);
        }

        return services;
    }
}
