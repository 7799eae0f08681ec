namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>
/// A test that drives a real peer program. In CI (CI=true) it always runs, so a missing peer fails it;
/// on a developer machine without the peer it is skipped with the command that installs it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresPeerFactAttribute : FactAttribute
{
    public RequiresPeerFactAttribute(string program, string debianPackage)
    {
        if (PeerProgram.Find(program) is null && !PeerProgram.InCi)
        {
            Skip = $"{program} is not installed (apt-get install {debianPackage}); CI installs it and fails without it.";
        }
    }
}
