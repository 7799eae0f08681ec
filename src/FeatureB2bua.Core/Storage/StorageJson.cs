using System.Text.Json;

namespace FeatureB2bua.Core.Storage;

/// <summary>
/// The JSON every store keeps in the <c>features</c> (of subscribers and of CDRs) and <c>may_register</c> columns: camelCase as in the provisioning file
/// (<c>forwardUnconditional</c>, <c>noAnswerTimeoutSeconds</c>, <c>musicOnHold</c>). A feature missing from a
/// stored row reads back as its default, so adding a feature needs no schema step. Reflection-based on purpose:
/// the source generator sets every init-only property it does not find to default(T), losing those defaults.
/// </summary>
public static class StorageJson
{
    public static JsonSerializerOptions Options { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
