using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>A test that starts a real PostgreSQL (<see cref="PostgresServer"/>): it fails in CI without one, and is skipped loudly elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresPostgresFactAttribute : FactAttribute
{
    public RequiresPostgresFactAttribute() => Skip = PostgresServer.SkipReason;
}
