namespace FeatureB2bua.Hosting;

/// <summary>The <c>Storage</c> section: <c>sqlite</c> (embedded default) or, with the scale-out work, <c>postgres</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string Provider { get; set; } = "sqlite";

    public string ConnectionString { get; set; } = "Data Source=data/b2bua.db";

    /// <summary>How long a subscriber read is reused (changes through this node apply at once); 0 reads the store every time.</summary>
    public int SubscriberCacheSeconds { get; set; } = 2;
}

/// <summary>The <c>Provisioning</c> section: a subscriber file upserted at start (DESIGN.md §6).</summary>
public sealed class ProvisioningOptions
{
    public const string Section = "Provisioning";

    /// <summary>Relative paths are taken from the directory the server runs from, then from its own directory.</summary>
    public string? File { get; set; }
}

/// <summary>The <c>Admin</c> section.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>When set, every change through <c>/api</c> and the subscriber and ban reads need <c>Authorization: Bearer</c> with it (<see cref="AdminToken"/>).</summary>
    public string? Token { get; set; }
}
