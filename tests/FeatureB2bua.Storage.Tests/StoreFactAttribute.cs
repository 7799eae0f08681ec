using Xunit.Sdk;

namespace FeatureB2bua.Storage.Tests;

/// <summary>
/// A fact of a store contract: it runs once per backend's derived class, and is skipped loudly (never silently passed)
/// where the derived class needs a server this machine lacks; see <see cref="StoreFactDiscoverer"/>.
/// </summary>
[XunitTestCaseDiscoverer("FeatureB2bua.Storage.Tests.StoreFactDiscoverer", "FeatureB2bua.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Marks a test class whose store is a real PostgreSQL server (<see cref="Common.PostgresServer"/>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;
