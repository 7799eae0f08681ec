using FeatureB2bua.Sip.Auth;

namespace FeatureB2bua.Core.Subscribers;

/// <summary>Turns a password into what is stored: HA1 = H(user:realm:password) for each algorithm (RFC 7616 §3.4.2).</summary>
public static class SubscriberCredentials
{
    public static Subscriber Create(string user, string password, string realm) => new(
        user,
        DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, user, realm, password),
        DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, user, realm, password));

    /// <summary>User names go into digest strings and URIs: no separators, no controls.</summary>
    public static bool IsValidUser(string user) =>
        user.Length is > 0 and <= 64 && user.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+' or '!' or '~' or '*');
}
