using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Media.HoldMusic;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

/// <summary>The media anchor (<c>Media</c> section): every call's SDP and RTP go through it.</summary>
public static class MediaServiceCollectionExtensions
{
    public static IServiceCollection AddMediaAnchor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HoldMusicOptions>().Bind(configuration.GetSection(HoldMusicOptions.Section));
        services.AddSingleton(sp =>
        {
            // A configured hold file that cannot be played stops the start with the reader's message, not the first hold.
            var library = new HoldMusicLibrary(sp.GetRequiredService<IOptions<HoldMusicOptions>>());
            library.Preload();
            return library;
        });
        services.AddSingleton(sp => new MediaMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new MediaAnchor(
            sp.GetRequiredService<IOptions<MediaOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MediaAnchor>>(),
            sp.GetRequiredService<MediaMetrics>(),
            sp.GetRequiredService<HoldMusicLibrary>()));
        services.AddSingleton<IMediaSessionFactory>(sp => sp.GetRequiredService<MediaAnchor>());
        return services;
    }
}
