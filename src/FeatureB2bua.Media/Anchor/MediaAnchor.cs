using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.HoldMusic;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Media.Anchor;

/// <summary>
/// The media anchor: every call's RTP and RTCP goes through ports of ours (DESIGN.md §4), so neither party learns the
/// other's address, NATed phones are reached where their packets come from, and silent calls are noticed. Opens a
/// session per call, owns the port pool, and looks at every answered call's media once a second.
/// </summary>
public sealed class MediaAnchor : IMediaSessionFactory, IDisposable
{
    private static readonly TimeSpan SupervisionInterval = TimeSpan.FromSeconds(1);

    private readonly PortPool _pool;
    private readonly ILogger _logger;
    private readonly MediaMetrics _metrics;
    private readonly ConcurrentDictionary<AnchoredSession, byte> _sessions = new();
    private readonly object _timerGate = new();
    private readonly long _relatchSilenceTicks;
    private readonly Lazy<EpollRelay?> _relay = new(() => EpollRelay.IsSupported ? new EpollRelay(Environment.ProcessorCount) : null);
    private readonly HoldMusicLibrary _holdMusic;
    private readonly MediaClock? _clock;
    private ITimer? _supervision;
    private long _closedPackets;
    private long _closedBytes;

    public MediaAnchor(MediaOptions options, TimeProvider time, ILogger<MediaAnchor> logger, MediaMetrics metrics, HoldMusicLibrary holdMusic)
    {
        _holdMusic = holdMusic;
        Options = options;
        Time = time;

        // On the real clock, what plays music and tones gets a thread of its own; a test's fake clock drives it as it is.
        _clock = ReferenceEquals(time, TimeProvider.System) ? new MediaClock() : null;
        Playout = _clock ?? time;
        _logger = logger;
        _metrics = metrics;
        Advertised = options.AdvertisedAddress;
        var bound = options.BoundAddress;
        Family = bound.AddressFamily;
        _pool = new PortPool(bound, options.FirstEvenPort, options.PairCount);
        _relatchSilenceTicks = (long)(options.RelatchSilenceSeconds * (double)time.TimestampFrequency);
        metrics.Observe(this);
    }

    public MediaOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>The clock hold music and tones are paced by: <see cref="Time"/>, with timers on their own thread when it is the system's.</summary>
    public TimeProvider Playout { get; }

    /// <summary><see cref="MediaOptions.Address"/>, parsed once: what every SDP we send names.</summary>
    internal IPAddress Advertised { get; }

    /// <summary>The family of the bound address: a party's c= must be of it for us to send there.</summary>
    internal AddressFamily Family { get; }

    /// <summary>Ports not taken by a call.</summary>
    public int FreePorts => _pool.FreePorts;

    /// <summary>The size of the pool, so that free ports can be read as a share of it.</summary>
    public int TotalPorts => _pool.TotalPorts;

    public int ActiveSessions => _sessions.Count;

    /// <summary>Packets and bytes relayed so far, by calls that ended and calls still up.</summary>
    public (long Packets, long Bytes) Relayed()
    {
        var (packets, bytes) = (Interlocked.Read(ref _closedPackets), Interlocked.Read(ref _closedBytes));
        foreach (var session in _sessions.Keys)
        {
            var (p, b) = session.Relayed();
            packets += p;
            bytes += b;
        }

        return (packets, bytes);
    }

    internal MediaCounters Counters { get; } = new();

    /// <summary>Only the after-silence policy needs the time of each packet; the others skip the clock read.</summary>
    internal bool TracksPacketTimes => Options.Relatch == RelatchPolicy.AfterSilence;

    public IMediaSession? Open(IMediaSessionEvents events)
    {
        if (TryOpenStream() is not { } first)
        {
            _metrics.PortsExhausted();
            return null;
        }

        var session = new AnchoredSession(this, events, first);
        _sessions[session] = 0;
        lock (_timerGate)
        {
            _supervision ??= Time.CreateTimer(_ => Supervise(), null, SupervisionInterval, SupervisionInterval);
        }

        return session;
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Keys)
        {
            session.Dispose();
        }

        lock (_timerGate)
        {
            _supervision?.Dispose();
            _supervision = null;
        }

        if (_relay.IsValueCreated)
        {
            _relay.Value?.Dispose();
        }

        _clock?.Dispose();
    }

    /// <summary>Ports facing each party for one m= line; null when the pool has no two pairs left.</summary>
    internal MediaStream? TryOpenStream()
    {
        if (!_pool.TryTake(out var aPort, out var aRtp, out var aRtcp))
        {
            return null;
        }

        if (!_pool.TryTake(out var bPort, out var bRtp, out var bRtcp))
        {
            aRtp.Dispose();
            aRtcp.Dispose();
            _pool.Return(aPort);
            return null;
        }

        return new MediaStream(_pool, Pair(aPort, aRtp, aRtcp), Pair(bPort, bRtp, bRtcp));
    }

    private MediaPair Pair(int port, Socket rtp, Socket rtcp) =>
        new(new MediaPort(rtp, port, PacketKind.Rtp, this, _relay.Value), new MediaPort(rtcp, port + 1, PacketKind.Rtcp, this, _relay.Value));

    /// <summary>Whether a packet from a new source may take over a latched side whose last packet came at <paramref name="lastPacketTimestamp"/>.</summary>
    internal bool MayRelatch(long lastPacketTimestamp) => Options.Relatch switch
    {
        RelatchPolicy.Always => true,
        RelatchPolicy.AfterSilence => Time.GetTimestamp() - lastPacketTimestamp >= _relatchSilenceTicks,
        _ => false,
    };

    /// <summary>The tune in <paramref name="file"/>, else (or when it cannot be read) the configured default.</summary>
    internal HoldMusicTrack HoldMusic(string? file)
    {
        try
        {
            return _holdMusic.Get(file);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            MediaLog.HoldMusicUnreadable(_logger, ex, file);
            return _holdMusic.Default;
        }
    }

    internal void Closed(AnchoredSession session, long packets, long bytes)
    {
        Interlocked.Add(ref _closedPackets, packets);
        Interlocked.Add(ref _closedBytes, bytes);
        _sessions.TryRemove(session, out _);
        lock (_timerGate)
        {
            if (_sessions.IsEmpty)
            {
                // No call, no timer: an idle anchor costs nothing and leaves no timer behind.
                _supervision?.Dispose();
                _supervision = null;
            }
        }
    }

    internal void TimedOut()
    {
        MediaLog.TimedOut(_logger, Options.InactivityTimeoutSeconds);
        _metrics.TimedOut();
    }

    internal void OneWayChanged(string? silentDirection)
    {
        if (silentDirection is null)
        {
            MediaLog.BothWays(_logger);
            return;
        }

        MediaLog.OneWay(_logger, silentDirection, Options.OneWayAfterSeconds);
        _metrics.OneWay();
    }

    private void Supervise()
    {
        var now = Time.GetUtcNow();
        foreach (var session in _sessions.Keys)
        {
            // Each session is looked at in its own call's log scope, so what this logs about it names that call.
            using var logScope = session.EnterLogScope();
            try
            {
                session.Supervise(now);
            }
            catch (Exception ex)
            {
                // One call's failure must not stop supervision of the others.
                MediaLog.SupervisionFailed(_logger, ex);
            }
        }
    }
}
