using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Operations;

/// <summary>The shipped unit as systemd reads it: no unknown key or section, a command that exists (the .NET host at /usr/bin/dotnet).</summary>
public sealed class SystemdUnitTests
{
    [RequiresPeerFact("systemd-analyze", "systemd")]
    public async Task Verify_FeatureB2buaService_ReportsNothing()
    {
        var unit = Path.Combine(OpsFiles.Directory, "systemd", "featureb2bua.service");

        var (exitCode, output) = await PeerProgram.RunAsync("systemd-analyze", ["verify", unit], Path.GetTempPath(), TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify exited {exitCode}:\n{output}");
    }
}
