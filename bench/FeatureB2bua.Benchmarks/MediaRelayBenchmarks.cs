using System.Net;
using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Media.HoldMusic;
using FeatureB2bua.Sip.Sdp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Benchmarks;

/// <summary>
/// One RTP packet through an anchored call on loopback: phone A sends it to its anchor port and the operation ends
/// when phone B has it. The allocation column is the relay's per-packet allocation (the phones use the
/// allocation-free socket calls too); the time includes both phones' syscalls.
/// </summary>
[MemoryDiagnoser]
public class MediaRelayBenchmarks
{
    private readonly byte[] _packet = new byte[172];
    private readonly byte[] _received = new byte[2048];
    private MediaAnchor _anchor = null!;
    private IMediaSession _session = null!;
    private Socket _a = null!;
    private Socket _b = null!;
    private SocketAddress _aFacing = null!;
    private SocketAddress _from = null!;

    [GlobalSetup]
    public void Setup()
    {
        _anchor = new MediaAnchor(
            new MediaOptions { Address = "127.0.0.1", PortMin = 13000, PortMax = 13099, InactivityTimeoutSeconds = 0 },
            TimeProvider.System,
            NullLogger<MediaAnchor>.Instance,
            new MediaMetrics(),
            new HoldMusicLibrary(Options.Create(new HoldMusicOptions())));
        _session = _anchor.Open(new NoEvents())!;
        _a = Phone();
        _b = Phone();
        var toA = Pass(CallSide.B, _b);
        Pass(CallSide.A, _a);
        _aFacing = new IPEndPoint(IPAddress.Loopback, toA).Serialize();
        _from = new SocketAddress(AddressFamily.InterNetwork);
        _packet[0] = 0x80;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _anchor.Dispose();
        _a.Dispose();
        _b.Dispose();
    }

    /// <summary>B waits in a blocking receive, so that nothing of the benchmark's own allocates.</summary>
    [Benchmark]
    public int RelayOnePacket()
    {
        _a.SendTo(_packet, SocketFlags.None, _aFacing);
        return _b.ReceiveFrom(_received, SocketFlags.None, _from);
    }

    private static Socket Phone()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>Passes the phone's SDP and returns our port in what the other phone gets.</summary>
    private int Pass(CallSide from, Socket phone)
    {
        var port = ((IPEndPoint)phone.LocalEndPoint!).Port;
        var sdp = $"v=0\r\no=p 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP 0\r\n";
        _session.TryPass(from, Encoding.ASCII.GetBytes(sdp), HoldShaping.None, out var passed, out _);
        return SdpParser.TryParse(passed, out var description, out var error) ? description.MediaDescriptions[0].Port : throw new InvalidOperationException(error);
    }

    private sealed class NoEvents : IMediaSessionEvents
    {
        public void MediaTimedOut()
        {
        }

        public IDisposable? EnterLogScope() => null;
    }
}
