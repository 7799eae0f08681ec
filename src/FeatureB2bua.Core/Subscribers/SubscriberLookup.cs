using FeatureB2bua.Core.Routing;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Core.Subscribers;

/// <summary>Which of our subscribers a URI names: one of our domain (or our own address) with a user part that is provisioned.</summary>
public sealed class SubscriberLookup(ISubscriberStore store, LocalDomain domain)
{
    public LocalDomain Domain => domain;

    /// <param name="request">The request the URI came in, for "our own address" (RFC 3261 §16.4's test of whether a URI is ours).</param>
    public async Task<Subscriber?> FindAsync(SipUri uri, SipMessage request, CancellationToken cancellationToken = default) =>
        uri.User is { Length: > 0 } user && domain.IsUs(uri.Host, request)
            ? await store.GetAsync(user, cancellationToken).ConfigureAwait(false)
            : null;
}
