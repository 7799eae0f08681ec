using System.Text.Json;
using FeatureB2bua.Core.Storage;
using FeatureB2bua.Core.Subscribers;
using Npgsql;
using NpgsqlTypes;

namespace FeatureB2bua.Storage.Postgres;

/// <summary><see cref="ISubscriberStore"/>: one row per user, features and third-party rights as JSON.</summary>
public sealed partial class PostgresStore
{
    private const string SelectSubscribers = "SELECT user_name, ha1_md5, ha1_sha256, may_register::text, features::text FROM subscribers";

    public async Task<Subscriber?> GetAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var found = await QueryAsync(SelectSubscribers + " WHERE user_name = @user;", p => p.AddWithValue("user", user), ReadSubscriber, cancellationToken)
            .ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    // Byte order (COLLATE "C"), as SQLite sorts, whatever the database's locale.
    public Task<IReadOnlyList<Subscriber>> ListAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(SelectSubscribers + " ORDER BY user_name COLLATE \"C\";", _ => { }, ReadSubscriber, cancellationToken);

    public Task UpsertAsync(Subscriber subscriber, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return ExecuteAsync(
            """
            INSERT INTO subscribers (user_name, ha1_md5, ha1_sha256, may_register, features)
            VALUES (@user, @ha1Md5, @ha1Sha256, @mayRegister, @features)
            ON CONFLICT (user_name) DO UPDATE SET
                ha1_md5 = excluded.ha1_md5,
                ha1_sha256 = excluded.ha1_sha256,
                may_register = excluded.may_register,
                features = excluded.features;
            """,
            parameters =>
            {
                parameters.AddWithValue("user", subscriber.User);
                parameters.AddWithValue("ha1Md5", subscriber.Ha1Md5);
                parameters.AddWithValue("ha1Sha256", subscriber.Ha1Sha256);
                parameters.AddWithValue("mayRegister", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(subscriber.MayRegister, StorageJson.Options));
                parameters.AddWithValue("features", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(subscriber.Features, StorageJson.Options));
            },
            cancellationToken);
    }

    public async Task<bool> RemoveAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return await ExecuteAsync("DELETE FROM subscribers WHERE user_name = @user;", p => p.AddWithValue("user", user), cancellationToken).ConfigureAwait(false) > 0;
    }

    private static Subscriber ReadSubscriber(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2))
        {
            MayRegister = JsonSerializer.Deserialize<string[]>(reader.GetString(3), StorageJson.Options) ?? [],
            Features = JsonSerializer.Deserialize<SubscriberFeatures>(reader.GetString(4), StorageJson.Options) ?? new SubscriberFeatures(),
        };
}
