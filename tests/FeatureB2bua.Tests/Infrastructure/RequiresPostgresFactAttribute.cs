using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>
/// A test that needs a real PostgreSQL server (<see cref="PostgresServer"/>): as <see cref="RequiresPeerFactAttribute"/>,
/// it fails in CI (CI=true) when the server is missing and is skipped loudly elsewhere. The binaries are looked for in
/// the Debian package's directory, not on PATH.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresPostgresFactAttribute : FactAttribute
{
    public RequiresPostgresFactAttribute() => Skip = PostgresServer.SkipReason;
}
