using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

/// <summary>The media anchor (<c>Media</c> section): every call's SDP and RTP go through it.</summary>
public static class MediaServiceCollectionExtensions
{
    public static IServiceCollection AddMediaAnchor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new MediaMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new MediaAnchor(
            sp.GetRequiredService<IOptions<MediaOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MediaAnchor>>(),
            sp.GetRequiredService<MediaMetrics>()));
        services.AddSingleton<IMediaSessionFactory>(sp => sp.GetRequiredService<MediaAnchor>());
        return services;
    }
}
