using System.Collections.Concurrent;
using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Sip.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureB2bua.Tests.Security;

/// <summary>
/// Counts, per user name, the subscriber reads and digest hashes the server does: the deterministic half of the
/// timing check (an unknown user must cost what a known one costs). Installed around the server's own services.
/// </summary>
public sealed class AuthWorkCounters
{
    private readonly ConcurrentDictionary<string, int> _reads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hashes = new(StringComparer.Ordinal);

    public int Reads(string user) => _reads.GetValueOrDefault(user);

    public int Hashes(string user) => _hashes.GetValueOrDefault(user);

    /// <summary>Wraps the subscriber store the server built (its cache included) and replaces the digest verifier.</summary>
    public void Install(IServiceCollection services)
    {
        var store = services.Last(d => d.ServiceType == typeof(ISubscriberStore));
        var build = store.ImplementationFactory ?? throw new InvalidOperationException("The subscriber store is expected to come from a factory.");
        services.Replace(ServiceDescriptor.Singleton<ISubscriberStore>(sp => new CountingStore((ISubscriberStore)build(sp), _reads)));
        services.Replace(ServiceDescriptor.Singleton<DigestVerifier>(sp => new CountingVerifier(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<FeatureB2bua.Hosting.SipOptions>>().Value.Domain, _hashes)));
    }

    private sealed class CountingStore(ISubscriberStore inner, ConcurrentDictionary<string, int> reads) : ISubscriberStore
    {
        public Task<Subscriber?> GetAsync(string user, CancellationToken cancellationToken = default)
        {
            reads.AddOrUpdate(user, 1, (_, n) => n + 1);
            return inner.GetAsync(user, cancellationToken);
        }

        public Task<IReadOnlyList<Subscriber>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public Task UpsertAsync(Subscriber subscriber, CancellationToken cancellationToken = default) => inner.UpsertAsync(subscriber, cancellationToken);

        public Task<bool> RemoveAsync(string user, CancellationToken cancellationToken = default) => inner.RemoveAsync(user, cancellationToken);
    }

    private sealed class CountingVerifier(string realm, ConcurrentDictionary<string, int> hashes) : DigestVerifier(realm)
    {
        protected override bool Verify(DigestCredentials credentials, string method, string ha1)
        {
            hashes.AddOrUpdate(credentials.Username, 1, (_, n) => n + 1);
            return base.Verify(credentials, method, ha1);
        }
    }
}
