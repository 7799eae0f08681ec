using System.Globalization;
using System.Net;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>What one SIPp run left: exit code, console, stat counters and the unexpected messages it logged.</summary>
public sealed record SippSideResult(string Name, int ExitCode, string Output, long Successful, long Failed, long OutOfCall, string Errors)
{
    /// <summary>Empty when the run was clean (exit 0, all calls succeeded, nothing unexpected); otherwise why not.</summary>
    public string Problems(long expectedCalls)
    {
        if (ExitCode == 0 && Successful == expectedCalls && Failed == 0 && OutOfCall == 0)
        {
            return string.Empty;
        }

        // The error log names the message SIPp did not expect; its first lines are enough to see what the B2BUA sent.
        var errors = Errors.Length <= 6000 ? Errors : Errors[..6000];
        return $"{Name}: exit {ExitCode}, {Successful}/{expectedCalls} successful, {Failed} failed, {OutOfCall} out-of-call messages\n{errors}\n{Tail(Output)}";
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];
}

/// <summary>
/// Runs a SIPp UAS and a SIPp UAC (Debian sip-tester) against the B2BUA on loopback: the UAS first on its own port,
/// then the UAC, which sends everything to the B2BUA (-rsa) with the UAS's address in the Request-URI. Both runs
/// are bounded in calls (-m) and in time (-timeout, and a kill after that).
/// </summary>
public static class SippPair
{
    public static string Scenario(string file) => Path.Combine(AppContext.BaseDirectory, "Interop", "Scenarios", file);

    /// <summary>Starts a UAS; it exits once it has handled <paramref name="calls"/> calls or after <paramref name="limit"/>.</summary>
    public static Task<SippSideResult> StartUas(string scenario, int port, int calls, DirectoryInfo work, TimeSpan limit, params string[] extra) =>
        RunAsync(
            $"UAS {scenario}",
            scenario,
            ["-p", port.ToString(CultureInfo.InvariantCulture), "-m", calls.ToString(CultureInfo.InvariantCulture), .. extra],
            work,
            limit);

    /// <summary>
    /// Runs a UAC to completion: <paramref name="calls"/> calls at <paramref name="rate"/> per second to <c>service</c>.
    /// Its port is a free one, not SIPp's default 5060 (what -p 0 gives), where responses to other tests' requests
    /// without a port in their Via land and would count as out-of-call messages.
    /// </summary>
    public static Task<SippSideResult> RunUacAsync(
        string scenario, IPEndPoint b2bua, string service, int uasPort, int calls, int rate, DirectoryInfo work, TimeSpan limit, params string[] extra) =>
        RunAsync(
            $"UAC {scenario}",
            scenario,
            ["-p", ServerProcess.FreeUdpPort().ToString(CultureInfo.InvariantCulture), "-s", service, "-rsa", b2bua.ToString(), "-r", rate.ToString(CultureInfo.InvariantCulture),
             "-m", calls.ToString(CultureInfo.InvariantCulture), "-d", "0", .. extra, $"127.0.0.1:{uasPort}"],
            work,
            limit);

    /// <summary>One flow: the UAS is started, the UAC runs, and both results are returned once the UAS is done too.</summary>
    public static async Task<(SippSideResult Uac, SippSideResult Uas)> RunAsync(
        ServerFixture server, string uacScenario, string uasScenario, string service, int uasPort, int calls, int rate, DirectoryInfo work,
        string[]? uasExtra = null, string[]? uacExtra = null)
    {
        var uas = StartUas(uasScenario, uasPort, calls, work, TimeSpan.FromSeconds(40), uasExtra ?? []);
        await Task.Delay(300);
        var uac = await RunUacAsync(uacScenario, server.UdpEndPoint, service, uasPort, calls, rate, work, TimeSpan.FromSeconds(35), uacExtra ?? []);
        return (uac, await uas);
    }

    private static async Task<SippSideResult> RunAsync(string name, string scenario, string[] arguments, DirectoryInfo work, TimeSpan limit)
    {
        var tag = $"{Path.GetFileNameWithoutExtension(scenario)}-{Guid.NewGuid():N}";
        var stats = Path.Combine(work.FullName, tag + ".csv");
        var errors = Path.Combine(work.FullName, tag + "-errors.log");

        // -timeout ends the run a little before the kill, so that SIPp still writes its statistics.
        var seconds = (int)limit.TotalSeconds - 5;
        var (exit, output) = await PeerProgram.RunAsync(
            "sipp",
            ["-sf", Scenario(scenario), "-t", "u1", "-i", "127.0.0.1", "-ci", "127.0.0.1", "-buff_size", "4194304",
             "-recv_timeout", "10000", "-timeout", $"{seconds}s", "-timeout_error", "-nostdin",
             "-trace_stat", "-stf", stats, "-fd", "1", "-trace_err", "-error_file", errors, .. arguments],
            work.FullName,
            limit);
        var (successful, failed) = SippStats.Totals(stats);
        return new SippSideResult(
            name, exit, output, successful, failed, SippStats.Read(stats, "OutOfCallMsgs(C)"), File.Exists(errors) ? await File.ReadAllTextAsync(errors) : string.Empty);
    }
}
