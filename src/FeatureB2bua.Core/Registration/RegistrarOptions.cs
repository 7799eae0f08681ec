namespace FeatureB2bua.Core.Registration;

/// <summary>The <c>Registrar</c> configuration section (RFC 3261 §10.3 steps 6 and 8).</summary>
public sealed class RegistrarOptions
{
    public const string Section = "Registrar";

    /// <summary>Shorter requested expiries get 423 Interval Too Brief; RFC 3261 §10.2.8 suggests at least 60 s.</summary>
    public int MinExpiresSeconds { get; set; } = 60;

    /// <summary>Longer requested expiries are cut to this (the 200 OK says what was granted).</summary>
    public int MaxExpiresSeconds { get; set; } = 7200;

    /// <summary>Used when neither the contact nor the request says (§10.2.1.1 leaves it to the registrar).</summary>
    public int DefaultExpiresSeconds { get; set; } = 3600;

    /// <summary>
    /// Other host names that mean our domain in a REGISTER's Request-URI (§10.3 step 1), such as the
    /// registrar's own name (RFC 3665 sends to ss2.biloxi.example.com for biloxi.example.com). The address
    /// the request arrived on is always accepted, for phones configured with the server's IP.
    /// </summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>How often expired bindings are deleted; reads hide them at once regardless.</summary>
    public TimeSpan ReaperInterval { get; set; } = TimeSpan.FromSeconds(1);
}
