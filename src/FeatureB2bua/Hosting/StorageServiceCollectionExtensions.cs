using FeatureB2bua.Core.Storage;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Storage.Postgres;
using FeatureB2bua.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

/// <summary>The store named by <c>Storage:Provider</c>: SQLite for one node, PostgreSQL for several sharing one database.</summary>
internal static class StorageServiceCollectionExtensions
{
    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    /// <summary>Registers the store as every store interface, with the subscriber cache in front when configured.</summary>
    /// <exception cref="OptionsValidationException">An unknown <c>Storage:Provider</c>: the server does not start.</exception>
    public static IServiceCollection AddStorage(this IServiceCollection services, StorageOptions storage)
    {
        switch (Provider(storage))
        {
            case Sqlite:
                services.AddSqliteStorage(storage.ConnectionString);
                break;
            default:
                services.AddPostgresStorage(storage.ConnectionString);
                break;
        }

        if (storage.SubscriberCacheSeconds > 0)
        {
            services.Replace(ServiceDescriptor.Singleton<ISubscriberStore>(sp => new CachingSubscriberStore(
                sp.GetRequiredService<IStore>(), sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(storage.SubscriberCacheSeconds))));
        }

        return services;
    }

    /// <summary>A store of its own outside dependency injection, for the admin CLI; the caller disposes it.</summary>
    public static IStore CreateStore(StorageOptions storage) =>
        Provider(storage) == Sqlite ? new SqliteStore(storage.ConnectionString) : new PostgresStore(storage.ConnectionString);

    private static string Provider(StorageOptions storage)
    {
        var provider = storage.Provider.Trim().ToLowerInvariant();
        return provider is Sqlite or Postgres
            ? provider
            : throw new OptionsValidationException(
                StorageOptions.Section, typeof(StorageOptions), [$"Storage:Provider '{storage.Provider}' is unknown; use {Sqlite} or {Postgres}."]);
    }
}
