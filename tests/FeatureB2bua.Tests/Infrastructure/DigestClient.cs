using FeatureB2bua.Sip.Auth;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>What a phone does with a challenge: computes the response (RFC 2617 §3.2.2) and writes the credentials header.</summary>
public static class DigestClient
{
    public static string Answer(
        SipMessage challengeResponse,
        string user,
        string password,
        string method,
        string uri,
        DigestAlgorithm algorithm = DigestAlgorithm.Md5,
        uint nonceCount = 1,
        string realm = RegistrarHarness.Domain,
        HeaderId header = HeaderId.WwwAuthenticate)
    {
        var challenge = FindChallenge(challengeResponse, header, algorithm);
        return Answer(challenge.Nonce, user, password, method, uri, algorithm, nonceCount, realm);
    }

    public static string Answer(string nonce, string user, string password, string method, string uri, DigestAlgorithm algorithm, uint nonceCount = 1, string realm = RegistrarHarness.Domain)
    {
        const string cnonce = "0a4f113b";
        var ha1 = DigestCalculator.ComputeHa1(algorithm, user, realm, password);
        var response = DigestCalculator.ComputeResponse(algorithm, ha1, nonce, method, uri, "auth", nonceCount, cnonce);
        return new DigestCredentials
        {
            Username = user,
            Realm = realm,
            Nonce = nonce,
            Uri = uri,
            Response = response,
            Algorithm = algorithm,
            Cnonce = cnonce,
            Qop = "auth",
            NonceCount = nonceCount,
        }.Format();
    }

    public static DigestChallenge FindChallenge(SipMessage response, HeaderId header, DigestAlgorithm algorithm)
    {
        foreach (var value in response.GetHeaderLines(header))
        {
            if (DigestChallenge.TryParse(System.Text.Encoding.UTF8.GetBytes(value), out var challenge, out _) && challenge.Algorithm == algorithm)
            {
                return challenge;
            }
        }

        throw new InvalidOperationException($"No {algorithm} challenge in the response.");
    }
}
