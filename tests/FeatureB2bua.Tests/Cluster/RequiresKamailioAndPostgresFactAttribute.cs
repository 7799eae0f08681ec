using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Cluster;

/// <summary>A test that needs Kamailio and PostgreSQL: it runs (and fails without them) in CI, skips loudly elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresKamailioAndPostgresFactAttribute : FactAttribute
{
    public RequiresKamailioAndPostgresFactAttribute() =>
        Skip = new RequiresPeerFactAttribute(KamailioProcess.Program, KamailioProcess.DebianPackage).Skip ?? new RequiresPostgresFactAttribute().Skip;
}
