using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeatureB2bua.Core.Subscribers;

/// <summary>The <c>Provisioning:File</c> format of DESIGN.md §6, upserted into the subscriber store at start.</summary>
public sealed class ProvisioningFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    [JsonPropertyName("subscribers")]
    public List<ProvisionedSubscriber> Subscribers { get; set; } = [];

    public static async Task<ProvisioningFile> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<ProvisioningFile>(stream, Json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{path}: empty provisioning file.");
    }

    /// <summary>The subscribers as stored: passwords hashed for <paramref name="realm"/> and dropped.</summary>
    public IEnumerable<Subscriber> ToSubscribers(string realm)
    {
        foreach (var entry in Subscribers)
        {
            if (!SubscriberCredentials.IsValidUser(entry.User) || string.IsNullOrEmpty(entry.Password))
            {
                throw new InvalidDataException($"Provisioning entry '{entry.User}' needs a plain user name and a password.");
            }

            yield return SubscriberCredentials.Create(entry.User, entry.Password, realm) with
            {
                MayRegister = entry.MayRegister,
                Features = entry.Features ?? new SubscriberFeatures(),
            };
        }
    }
}

/// <summary>One subscriber as written in the provisioning file.</summary>
public sealed class ProvisionedSubscriber
{
    public string User { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    public List<string> MayRegister { get; set; } = [];

    public SubscriberFeatures? Features { get; set; }
}
