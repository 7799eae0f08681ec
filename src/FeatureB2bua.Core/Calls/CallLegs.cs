using System.Text.Encodings.Web;
using System.Text.Json;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The dialogs of an answered call, kept in the journal of open calls (<see cref="OpenCall.Legs"/>) so that any process
/// can hang the call up once the one that held it is gone (docs/ghost-calls.md): the A-leg, and the B-leg when the call
/// has one (a call a feature answers itself has not).
/// </summary>
public sealed record CallLegs(IReadOnlyList<LegDialog> Legs)
{
    // Reflection-based as StorageJson is: a handful of small records, written only when a leg changes. It goes to a
    // database, never into HTML, so '<' and '"' stay readable for an operator looking at the row.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The legs from their JSON; null for none, or for text that is not what <see cref="ToJson"/> wrote.</summary>
    public static CallLegs? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CallLegs>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
