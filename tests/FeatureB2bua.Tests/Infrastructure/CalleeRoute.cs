namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>
/// Settings for a server whose calls to bob go to one test phone: that route, no upstream probes, media on loopback
/// and no silence timeout (the test phones send no RTP).
/// </summary>
public static class CalleeRoute
{
    public static string[] Settings(int calleePort, string pattern = "^bob") =>
    [
        $"--Routing:Routes:0:Pattern={pattern}",
        $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{calleePort}",
        "--Routing:Probe:Interval=00:00:00",
        "--Media:Address=127.0.0.1",
        "--Media:InactivityTimeoutSeconds=0",
    ];
}
