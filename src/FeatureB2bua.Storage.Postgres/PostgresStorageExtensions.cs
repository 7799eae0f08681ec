using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Storage;
using FeatureB2bua.Core.Subscribers;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Storage.Postgres;

public static class PostgresStorageExtensions
{
    /// <summary>
    /// Registers one <see cref="PostgresStore"/> as <see cref="IStore"/>, <see cref="ISubscriberStore"/>, <see cref="ILocationStore"/>
    /// and <see cref="ICallRecordStore"/>. As with SQLite, no start-up step: the store migrates itself on first use, and
    /// nodes starting together take turns on an advisory lock, so the schema is migrated once.
    /// </summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.AddSingleton(_ => new PostgresStore(connectionString));
        services.AddSingleton<IStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<ISubscriberStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<ILocationStore>(sp => sp.GetRequiredService<PostgresStore>());
        services.AddSingleton<ICallRecordStore>(sp => sp.GetRequiredService<PostgresStore>());
        return services;
    }
}
