using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Subscribers;

namespace FeatureB2bua.Core.Storage;

/// <summary>One database behind every store interface (SQLite for one node, PostgreSQL shared by several); disposing closes its connections.</summary>
public interface IStore : ISubscriberStore, ILocationStore, ICallRecordStore, IDisposable
{
    /// <summary>Whether the database can be used now, for a readiness probe; throws when it cannot.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
