using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>
/// Kamailio running ops/kamailio/kamailio.cfg as shipped, in front of B2BUA nodes on loopback: its listen point, node
/// list and probe timing come in as <c>-A</c> defines, its runtime files (pid file, control socket, node list) live in
/// a directory of its own, and it is stopped by its PID.
/// </summary>
public sealed partial class KamailioProcess : IDisposable
{
    public const string Program = "kamailio";
    public const string DebianPackage = "kamailio";
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly DirectoryInfo _runtime;
    private readonly ConcurrentQueue<string> _log;

    private KamailioProcess(Process process, DirectoryInfo runtime, ConcurrentQueue<string> log, IPEndPoint endPoint)
    {
        _process = process;
        _runtime = runtime;
        _log = log;
        EndPoint = endPoint;
    }

    /// <summary>Where the callers send: Kamailio's UDP listen point.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>What Kamailio has logged so far, for a failing assertion's message.</summary>
    public string Log => string.Join('\n', _log);

    private string ControlSocket => ControlSocketOf(_runtime);

    /// <summary>
    /// Starts Kamailio with <paramref name="nodes"/> as dispatcher set 1, probing every second and taking a node out
    /// after one failed probe (the shipped defaults are 5 s and 2), and waits until it answers OPTIONS.
    /// </summary>
    public static async Task<KamailioProcess> StartAsync(IReadOnlyList<IPEndPoint> nodes, params string[] defines)
    {
        var binary = PeerProgram.Find(Program) ?? throw new InvalidOperationException($"{Program} is not installed (apt-get install {DebianPackage}); CI installs it through .ci/run.");
        var runtime = Directory.CreateTempSubdirectory("kamailio-");
        var list = Path.Combine(runtime.FullName, "dispatcher.list");
        await File.WriteAllLinesAsync(list, nodes.Select((node, i) => $"1 sip:{node} 0 0 duid=node{i + 1}"));
        var endPoint = new IPEndPoint(IPAddress.Loopback, ServerProcess.FreeUdpPort());

        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = runtime.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] arguments =
        [
            "-f", Path.Combine(AppContext.BaseDirectory, "ops", "kamailio", "kamailio.cfg"),
            "-DD", "-E", "-n", "2", "-m", "64", "-M", "8",
            "-Y", runtime.FullName, "-w", runtime.FullName, "-P", Path.Combine(runtime.FullName, "kamailio.pid"),
            "-A", $"LISTEN=udp:{endPoint}",
            "-A", $"DS_LIST=\"{list}\"",
            "-A", $"CTL_SOCKET=\"{ControlSocketOf(runtime)}\"",
            "-A", "DS_PING_INTERVAL=1",
            "-A", "DS_PROBING_THRESHOLD=1",
            "-A", "LOG_LEVEL=2",
            .. defines.SelectMany(d => new[] { "-A", d }),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var log = new ConcurrentQueue<string>();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(log, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var kamailio = new KamailioProcess(process, runtime, log, endPoint);
        try
        {
            await kamailio.WaitUntilAnsweringAsync();
        }
        catch
        {
            kamailio.Dispose();
            throw;
        }

        return kamailio;
    }

    /// <summary>
    /// Each node's dispatcher state as <c>kamcmd dispatcher.list</c> prints it, by its <c>host:port</c>: the first
    /// letter A (active), I (inactive), T (trying) or D (disabled), then P while its probes fail.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> NodeStatesAsync()
    {
        var (exitCode, output) = await PeerProgram.RunAsync("kamcmd", ["-s", ControlSocket, "dispatcher.list"], _runtime.FullName, TimeSpan.FromSeconds(5));
        Assert.True(exitCode == 0, "kamcmd dispatcher.list failed: " + output);
        return DestinationState().Matches(output).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    /// <summary>Waits until every node in <paramref name="expected"/> shows its state letter (A or I) first, at most <paramref name="timeout"/>.</summary>
    public async Task WaitForStatesAsync(TimeSpan timeout, params (IPEndPoint Node, char State)[] expected)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var states = await NodeStatesAsync();
            if (expected.All(e => states.TryGetValue(e.Node.ToString(), out var flags) && flags[0] == e.State))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"dispatcher states {string.Join(", ", states.Select(s => s.Key + "=" + s.Value))}, wanted {string.Join(", ", expected.Select(e => $"{e.Node}={e.State}"))}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM to the main process, which stops its workers; SIGKILL if it is still there after 5 s.</summary>
    public void Dispose()
    {
        if (!_process.HasExited && (Kill(_process.Id, SigTerm) != 0 || !_process.WaitForExit(TimeSpan.FromSeconds(5))))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _runtime.Delete(recursive: true);
    }

    private static string ControlSocketOf(DirectoryInfo runtime) => "unix:" + Path.Combine(runtime.FullName, "ctl");

    private static void Keep(ConcurrentQueue<string> log, string? line)
    {
        if (line is not null)
        {
            log.Enqueue(line);
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var probe = new UdpSipClient(EndPoint);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            Assert.False(_process.HasExited, "kamailio exited at start:\n" + Log);
            var callId = "kamailio-up-" + Guid.NewGuid().ToString("N");
            probe.Send(SipText.Request("OPTIONS", $"sip:{EndPoint}", "z9hG4bK" + callId, callId, via: probe.LocalEndPoint.ToString()));
            if (await probe.ReceiveAsync(500) is { StatusCode: 200 } answer && answer.CallId == callId)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "kamailio did not answer OPTIONS within 15 s:\n" + Log);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"URI: sip:(\S+)\s+FLAGS: (\S+)")]
    private static partial Regex DestinationState();
}
