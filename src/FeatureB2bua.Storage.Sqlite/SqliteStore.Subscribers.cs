using System.Text.Json;
using FeatureB2bua.Core.Storage;
using FeatureB2bua.Core.Subscribers;
using Microsoft.Data.Sqlite;

namespace FeatureB2bua.Storage.Sqlite;

/// <summary><see cref="ISubscriberStore"/>: one row per user, features and third-party rights as JSON.</summary>
public sealed partial class SqliteStore
{
    private const string SelectSubscribers = "SELECT user, ha1_md5, ha1_sha256, may_register, features FROM subscribers";

    public async Task<Subscriber?> GetAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandText = SelectSubscribers + " WHERE user = $user;";
        command.Parameters.AddWithValue("$user", user);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadSubscriber(reader) : null;
    }

    public async Task<IReadOnlyList<Subscriber>> ListAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandText = SelectSubscribers + " ORDER BY user;";
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var subscribers = new List<Subscriber>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            subscribers.Add(ReadSubscriber(reader));
        }

        return subscribers;
    }

    public Task UpsertAsync(Subscriber subscriber, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return ExecuteWriteAsync(
            """
            INSERT INTO subscribers (user, ha1_md5, ha1_sha256, may_register, features)
            VALUES ($user, $ha1Md5, $ha1Sha256, $mayRegister, $features)
            ON CONFLICT (user) DO UPDATE SET
                ha1_md5 = excluded.ha1_md5,
                ha1_sha256 = excluded.ha1_sha256,
                may_register = excluded.may_register,
                features = excluded.features;
            """,
            parameters =>
            {
                parameters.AddWithValue("$user", subscriber.User);
                parameters.AddWithValue("$ha1Md5", subscriber.Ha1Md5);
                parameters.AddWithValue("$ha1Sha256", subscriber.Ha1Sha256);
                parameters.AddWithValue("$mayRegister", JsonSerializer.Serialize(subscriber.MayRegister, StorageJson.Options));
                parameters.AddWithValue("$features", JsonSerializer.Serialize(subscriber.Features, StorageJson.Options));
            },
            cancellationToken);
    }

    public async Task<bool> RemoveAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var removed = await ExecuteWriteAsync(
            "DELETE FROM subscribers WHERE user = $user;",
            parameters => parameters.AddWithValue("$user", user),
            cancellationToken).ConfigureAwait(false);
        return removed > 0;
    }

    private static Subscriber ReadSubscriber(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2))
        {
            MayRegister = JsonSerializer.Deserialize<string[]>(reader.GetString(3), StorageJson.Options) ?? [],
            Features = JsonSerializer.Deserialize<SubscriberFeatures>(reader.GetString(4), StorageJson.Options) ?? new SubscriberFeatures(),
        };
}
