using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Storage;
using FeatureB2bua.Core.Subscribers;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Storage.Sqlite;

public static class SqliteStorageExtensions
{
    /// <summary>
    /// Registers one <see cref="SqliteStore"/> as <see cref="IStore"/>, <see cref="ISubscriberStore"/>, <see cref="ILocationStore"/> and <see cref="ICallRecordStore"/>.
    /// No start-up step is registered: the store migrates itself, once and thread-safely, on first use, so the host,
    /// the admin CLI and tests cannot forget it; a schema error still shows at start, where the first hosted service
    /// (provisioning) reads the store. <see cref="SqliteStore.MigrateAsync"/> remains for an explicit step.
    /// </summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.AddSingleton(_ => new SqliteStore(connectionString));
        services.AddSingleton<IStore>(sp => sp.GetRequiredService<SqliteStore>());
        services.AddSingleton<ISubscriberStore>(sp => sp.GetRequiredService<SqliteStore>());
        services.AddSingleton<ILocationStore>(sp => sp.GetRequiredService<SqliteStore>());
        services.AddSingleton<ICallRecordStore>(sp => sp.GetRequiredService<SqliteStore>());
        return services;
    }
}
