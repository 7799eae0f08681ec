using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>The server as its own OS process, for what an in-process host cannot show: surviving kill -9, a real SIGTERM and the exit code, its console output.</summary>
public sealed partial class ServerProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;
    private readonly ConcurrentQueue<string> _errors;

    private ServerProcess(Process process, ConcurrentQueue<string> output, ConcurrentQueue<string> errors, Task<Uri> http)
    {
        _process = process;
        _output = output;
        _errors = errors;
        HttpAddress = http;
    }

    /// <summary>The OS process id, for what only the OS knows of it (its resident memory in /proc).</summary>
    public int Id => _process.Id;

    /// <summary>The HTTP listener's base address, once the server has logged it.</summary>
    public Task<Uri> HttpAddress { get; }

    /// <summary>The lines the server has written to standard output so far.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>The lines written to standard error: where the runtime reports an exception nothing caught.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public static async Task<ServerProcess> StartAsync(int udpPort, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FeatureB2bua.dll"));
        start.ArgumentList.Add($"--Sip:Listen:0=udp:127.0.0.1:{udpPort}");
        start.ArgumentList.Add($"--Sip:Listen:1=tcp:127.0.0.1:{udpPort}");
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");

        // As in ServerFixture: the tests' peers on 127.0.0.1 are not flood-limited.
        start.ArgumentList.Add("--Security:Flood:Exempt:0=127.0.0.1/32");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource();
        var http = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains("Listening for SIP on Udp", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }

            if (HttpListening().Match(e.Data) is { Success: true } match)
            {
                http.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        var errors = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                errors.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(20))) != ready.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The server process did not start listening.");
        }

        return new ServerProcess(process, output, errors, http.Task);
    }

    /// <summary>SIGTERM, as systemd, Docker or Kubernetes send it to stop a service.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>The exit code once the process has ended, or null if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s""]+)")]
    private static partial Regex HttpListening();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
