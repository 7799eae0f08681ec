using System.Security.Cryptography;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Sip.Auth;

namespace FeatureB2bua.Core.Authentication;

/// <summary>
/// Checks a digest response for a subscriber, or for a user name that is none: then against a fixed HA1 made from a
/// random password at start, so an unknown user costs the same hashing as a known one with a wrong password and
/// the answer's timing does not tell them apart (RFC 7616 §5, RFC 3261 §26.2: digest must not become an oracle for
/// which accounts exist). Not sealed so tests can count the hashes it computes.
/// </summary>
public class DigestVerifier(string realm)
{
    private readonly string _unknownMd5 = UnknownHa1(DigestAlgorithm.Md5, realm);
    private readonly string _unknownSha256 = UnknownHa1(DigestAlgorithm.Sha256, realm);

    /// <summary>True only when <paramref name="subscriber"/> exists and the response matches its HA1.</summary>
    public bool IsRightPassword(DigestCredentials credentials, string method, Subscriber? subscriber)
    {
        var sha256 = credentials.Algorithm is DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess;
        var ha1 = subscriber is null
            ? sha256 ? _unknownSha256 : _unknownMd5
            : sha256 ? subscriber.Ha1Sha256 : subscriber.Ha1Md5;
        return Verify(credentials, method, ha1) && subscriber is not null;
    }

    protected virtual bool Verify(DigestCredentials credentials, string method, string ha1) =>
        DigestCalculator.Verify(credentials, method, ha1);

    private static string UnknownHa1(DigestAlgorithm algorithm, string realm) =>
        DigestCalculator.ComputeHa1(algorithm, string.Empty, realm, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
}
