using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Sip.Auth;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Core.Authentication;

/// <summary>
/// HTTP digest for SIP (RFC 3261 §22, RFC 2617, RFC 7616, RFC 8760): checks the credentials of a request
/// against the subscriber's stored HA1 and builds the 401/407 challenges. Every failure, whatever its cause
/// (unknown user, wrong password, wrong realm or uri, replayed nonce-count), looks the same on the wire: a
/// fresh challenge, so nobody can tell which users exist; only the brute-force ban turns it into 403. An unknown
/// user costs the same store read and hashing as a known one (<see cref="DigestVerifier"/>), so timing does not
/// tell them apart either.
/// </summary>
public sealed class DigestAuthenticator(
    ISubscriberStore subscribers,
    NonceService nonces,
    NonceCountTracker nonceCounts,
    AuthFailureTracker failures,
    TrustedSources trusted,
    AuthOptions options,
    AuthMetrics metrics,
    DigestVerifier verifier,
    string realm)
{
    public string Realm => realm;

    /// <param name="proxy">True for requests other than REGISTER: Proxy-Authorization and 407 (RFC 3261 §22.3).</param>
    public async Task<AuthOutcome> AuthenticateAsync(SipMessage request, bool proxy, CancellationToken cancellationToken = default)
    {
        var source = request.Source!.Remote.Address;
        if (trusted.Contains(source))
        {
            return new AuthOutcome(AuthVerdict.Authenticated);
        }

        var header = proxy ? HeaderId.ProxyAuthorization : HeaderId.Authorization;
        var credentials = FindOurCredentials(request, header, out var malformed);
        if (failures.IsBanned(source, credentials?.Username))
        {
            return new AuthOutcome(AuthVerdict.Banned);
        }

        if (credentials is null)
        {
            // No credentials for our realm: the first leg of every authenticated exchange, not a failure.
            return new AuthOutcome(malformed ? AuthVerdict.Malformed : AuthVerdict.Challenge);
        }

        var rightPassword = UriMatches(credentials.Uri, request)
            && await IsRightPasswordAsync(request, credentials, cancellationToken).ConfigureAwait(false);
        if (rightPassword && nonces.Check(credentials.Nonce) != NonceStatus.Valid)
        {
            // RFC 2617 §3.2.1: the right password on an old nonce (or one from before a restart) is not a failure;
            // stale=true tells the phone to retry at once without asking its user.
            return new AuthOutcome(AuthVerdict.Challenge, Stale: true);
        }

        if (rightPassword && nonceCounts.TryAccept(credentials.Nonce, credentials.NonceCount ?? 0))
        {
            return new AuthOutcome(AuthVerdict.Authenticated, credentials.Username);
        }

        switch (failures.RecordFailure(source, credentials.Username))
        {
            case FailureVerdict.AlreadyBanned:
                // Raced a ban started by another request from the same source or for the same user: not counted.
                return new AuthOutcome(AuthVerdict.Banned);
            case FailureVerdict.BanStarted:
                metrics.Failure();
                metrics.Ban();
                return new AuthOutcome(AuthVerdict.Banned);
            default:
                metrics.Failure();
                return new AuthOutcome(AuthVerdict.Challenge);
        }
    }

    /// <summary>One challenge per offered algorithm, most preferred first (RFC 8760 §2.4), all with the same nonce.</summary>
    public Action<SipMessageWriter> WriteChallenges(bool proxy, bool stale)
    {
        var nonce = nonces.Issue();
        var header = proxy ? HeaderId.ProxyAuthenticate : HeaderId.WwwAuthenticate;
        return writer =>
        {
            foreach (var algorithm in options.Offered)
            {
                var challenge = new DigestChallenge
                {
                    Realm = realm,
                    Nonce = nonce,
                    Algorithm = algorithm,
                    QopOptions = ["auth"],
                    Stale = stale,
                };
                writer.WriteHeader(header, challenge.Format());
            }
        };
    }

    private DigestCredentials? FindOurCredentials(SipMessage request, HeaderId header, out bool malformed)
    {
        malformed = false;
        for (var i = 0; i < request.HeaderCount; i++)
        {
            if (request.GetHeaderEntry(i).Id != header)
            {
                continue;
            }

            if (!DigestCredentials.TryParse(request.GetHeaderValue(i), out var credentials, out var error))
            {
                // Another scheme is ignored (RFC 4475 §3.3.7); a broken Digest header is a 400.
                malformed |= error != DigestParseError.NotDigest;
                continue;
            }

            // §22.4: credentials for another realm are for someone else on the path.
            if (string.Equals(credentials.Realm, realm, StringComparison.Ordinal) && options.Offered.Contains(credentials.Algorithm))
            {
                malformed = false;
                return credentials;
            }
        }

        return null;
    }

    private async Task<bool> IsRightPasswordAsync(SipMessage request, DigestCredentials credentials, CancellationToken cancellationToken)
    {
        var subscriber = await subscribers.GetAsync(credentials.Username, cancellationToken).ConfigureAwait(false);
        return verifier.IsRightPassword(credentials, request.MethodName, subscriber);
    }

    /// <summary>RFC 2617 §3.2.2.5: the digest-uri must be the Request-URI; compared as URIs, not only as text.</summary>
    private static bool UriMatches(string digestUri, SipMessage request)
    {
        var requestUri = request.RequestUri!;
        if (string.Equals(digestUri, requestUri.Raw, StringComparison.Ordinal))
        {
            return true;
        }

        return SipUri.TryParse(System.Text.Encoding.UTF8.GetBytes(digestUri), out var parsed)
            && parsed!.Scheme == requestUri.Scheme
            && string.Equals(parsed.User, requestUri.User, StringComparison.Ordinal)
            && string.Equals(parsed.Host, requestUri.Host, StringComparison.OrdinalIgnoreCase)
            && parsed.Port == requestUri.Port;
    }
}
