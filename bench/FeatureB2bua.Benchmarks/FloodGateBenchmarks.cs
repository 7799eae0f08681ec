using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Core.Security;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Stack;

namespace FeatureB2bua.Benchmarks;

/// <summary>
/// The flood gate's cost per request, on the receive path of every packet: the check before parsing (no bans, and a
/// banned source), and the check after it for a known source under its limit, over it, and for a new source.
/// A known source must cost no allocation.
/// </summary>
[MemoryDiagnoser]
public class FloodGateBenchmarks
{
    private static readonly IPAddress Known = IPAddress.Parse("192.0.2.7");
    private static readonly IPAddress Banned = IPAddress.Parse("192.0.2.66");

    // With a phone's User-Agent, so the scanner check reads it too.
    private readonly SipMessage _invite = SipParser.Parse(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(CallBenchmarks.Invite("1-1@127.0.0.1", "z9hG4bK-1-1-0"))
        .Replace("Max-Forwards:", "User-Agent: Linphone/5.2.0 (belle-sip/5.2.0)\r\nMax-Forwards:", StringComparison.Ordinal)), out _)!;
    private FloodGate _open = null!;
    private FloodGate _closed = null!;
    private FloodGate _banning = null!;
    private FloodGate _spoofed = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        // Limits far above the benchmark's rate: every request passes and takes a token.
        _open = Gate(new FloodOptions { Invite = new() { PermitsPerSecond = 1e12, Burst = 1e12 }, MaxSources = 1 << 20 }, new SourceBanList(TimeProvider.System, 16));

        // No token ever: every request is over the limit; bans off, so it stays on this path.
        _closed = Gate(new FloodOptions { Invite = new() { PermitsPerSecond = 1e-9, Burst = 0 }, BanAfterRejections = 0 }, new SourceBanList(TimeProvider.System, 16));

        var bans = new SourceBanList(TimeProvider.System, 16);
        bans.Ban(Banned, TimeSpan.FromDays(1), FloodGate.FloodReason);
        _banning = Gate(new FloodOptions(), bans);
        _spoofed = Gate(new FloodOptions(), new SourceBanList(TimeProvider.System, 16));
        _open.Judge(_invite, Known);
        _closed.Judge(_invite, Known);
    }

    [Benchmark]
    public bool AdmitsWithNoBans() => _open.Admits(Known);

    [Benchmark]
    public bool AdmitsBannedSource() => _banning.Admits(Banned);

    [Benchmark]
    public bool AdmitsUnbannedWhileOthersAreBanned() => _banning.Admits(Known);

    [Benchmark]
    public GateVerdict JudgeKnownSourceUnderLimit() => _open.Judge(_invite, Known);

    [Benchmark]
    public GateVerdict JudgeKnownSourceOverLimit() => _closed.Judge(_invite, Known);

    /// <summary>A source never seen before (a spoofed flood), amortised over the table's shrinks at the default 100,000 sources.</summary>
    [Benchmark]
    public GateVerdict JudgeNewSource() => _spoofed.Judge(_invite, new IPAddress(unchecked((uint)Interlocked.Increment(ref _next)) | 0x0Au));

    private static FloodGate Gate(FloodOptions options, SourceBanList bans) =>
        new(options, new ScannerOptions(), new TrustedSources([]), bans, TimeProvider.System);
}
