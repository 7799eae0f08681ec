using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>The server as its own OS process, for what an in-process host cannot show: surviving kill -9, its console output.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ServerProcess(Process process, ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
    }

    /// <summary>The lines the server has written to standard output so far.</summary>
    public IReadOnlyList<string> Output => [.. _output];

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
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource();
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }

            if (e.Data?.Contains("Listening for SIP on Udp", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(20))) != ready.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The server process did not start listening.");
        }

        return new ServerProcess(process, output);
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
}
