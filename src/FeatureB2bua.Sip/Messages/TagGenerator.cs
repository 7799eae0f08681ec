using System.Globalization;

namespace FeatureB2bua.Sip.Messages;

/// <summary>Tags and Call-IDs need to be unique, not secret (RFC 3261 §19.3 asks for 32 bits of randomness).</summary>
public static class TagGenerator
{
    public static string New() => Random.Shared.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
}
