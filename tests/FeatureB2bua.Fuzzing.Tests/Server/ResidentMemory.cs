using System.Globalization;

namespace FeatureB2bua.Fuzzing.Tests.Server;

/// <summary>A process's resident set size from /proc/&lt;pid&gt;/status (VmRSS), sampled in the background for its peak.</summary>
public sealed class ResidentMemory : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peak;

    private ResidentMemory(int pid)
    {
        _pid = pid;
        _peak = Read(pid);
        _sampling = SampleAsync();
    }

    /// <summary>The highest VmRSS seen so far, in bytes.</summary>
    public long Peak => Interlocked.Read(ref _peak);

    public int Samples { get; private set; }

    public static ResidentMemory Watch(int pid) => new(pid);

    /// <summary>VmRSS of <paramref name="pid"/> in bytes.</summary>
    public static long Read(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var now = Read(_pid);
                Samples++;
                if (now > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, now);
                }

                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (IOException)
            {
                // The process is gone; the test's liveness check says so.
                return;
            }
        }
    }
}
