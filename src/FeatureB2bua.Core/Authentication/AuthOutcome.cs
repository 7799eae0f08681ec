namespace FeatureB2bua.Core.Authentication;

public enum AuthVerdict : byte
{
    /// <summary>Credentials checked out, or the source is trusted.</summary>
    Authenticated,

    /// <summary>No usable credentials yet, or they failed: send a (fresh) challenge.</summary>
    Challenge,

    /// <summary>The source address or user is banned: 403.</summary>
    Banned,

    /// <summary>The credentials header could not be read at all: 400.</summary>
    Malformed,
}

/// <summary>What the authenticator decided; <see cref="User"/> is set when authenticated by credentials.</summary>
public readonly record struct AuthOutcome(AuthVerdict Verdict, string? User = null, bool Stale = false);
