using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Interop;

/// <summary>
/// SIPp calls with RTP (SIPp's rtp_stream: PCMU, 20 ms, 172-byte packets) through the media anchor, one direction a
/// test: the streaming side is SIPp, the other side's SDP names a socket of this test, where every relayed packet is
/// counted, per call (the anchor port it came from). Afterwards every media port is back in the pool.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SippMediaTests
{
    private const int Calls = 10;
    private const int HoldMs = 3000;

    /// <summary>50 packets a second for the hold time; SIPp starts and stops its stream with some slack.</summary>
    private const int ExpectedPerCall = HoldMs / 20;

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task CallerStreams_EachCallsRtpReachesTheCalleeThroughItsOwnAnchorPort() =>
        StreamAsync("media-stream-uac.xml", "media-listen-uas.xml", callerStreams: true);

    [RequiresPeerFact("sipp", "sip-tester")]
    public Task CalleeStreams_EachCallsRtpReachesTheCallerThroughItsOwnAnchorPort() =>
        StreamAsync("media-listen-uac.xml", "media-stream-uas.xml", callerStreams: false);

    private static async Task StreamAsync(string uacScenario, string uasScenario, bool callerStreams)
    {
        var work = Directory.CreateTempSubdirectory("sipp-media-");
        await File.WriteAllBytesAsync(Path.Combine(work.FullName, "pcmu_1s.ulaw"), Enumerable.Repeat((byte)0xFF, 8000).ToArray());
        var uasPort = ServerProcess.FreeUdpPort();
        await using var server = await ServerFixture.StartAsync(
            "--Routing:Trusted:0=127.0.0.0/8",
            "--Routing:Probe:Interval=00:00:00",
            "--Routing:Routes:0:Pattern=^service$",
            $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{uasPort}",
            "--Media:Address=127.0.0.1",
            "--Media:PortMin=12000",
            "--Media:PortMax=12199");
        var anchor = server.Services.GetRequiredService<MediaAnchor>();
        var freeBefore = anchor.FreePorts;
        using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var sinkPort = ((IPEndPoint)sink.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        var streamerMediaPort = ServerProcess.FreeUdpPort().ToString(CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource();
        var counting = CountAsync(sink, stop.Token);

        string[] streamer = ["-mi", "127.0.0.1", "-mp", streamerMediaPort];
        string[] listener = ["-key", "sink_port", sinkPort];
        var (uac, uas) = await SippPair.RunAsync(
            server, uacScenario, uasScenario, "service", uasPort, Calls, Calls, work,
            uasExtra: callerStreams ? listener : streamer,
            uacExtra: [.. callerStreams ? streamer : listener, "-d", HoldMs.ToString(CultureInfo.InvariantCulture)]);
        await Task.Delay(300);
        await stop.CancelAsync();
        var (perPort, wrong) = await counting;

        Assert.True(uac.Problems(Calls).Length == 0, uac.Problems(Calls));
        Assert.True(uas.Problems(Calls).Length == 0, uas.Problems(Calls));
        Assert.Equal(0, wrong);

        // One anchor port per call towards the listening side, never SIPp's own media port: nothing went around the anchor.
        Assert.Equal(Calls, perPort.Count);
        Assert.DoesNotContain(int.Parse(streamerMediaPort, CultureInfo.InvariantCulture), perPort.Keys);
        Assert.All(perPort.Keys, port => Assert.InRange(port, 12000, 12199));
        Assert.All(perPort.Values, count => Assert.InRange(count, ExpectedPerCall * 8 / 10, ExpectedPerCall * 12 / 10));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (anchor.FreePorts != freeBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(freeBefore, anchor.FreePorts);
        Assert.Equal(0, anchor.ActiveSessions);
        work.Delete(recursive: true);
    }

    /// <summary>RTP packets at the sink by the port they came from; anything not a 172-byte PCMU packet is counted as wrong.</summary>
    private static async Task<(Dictionary<int, int> PerPort, int Wrong)> CountAsync(Socket sink, CancellationToken stop)
    {
        var perPort = new Dictionary<int, int>();
        var wrong = 0;
        var buffer = new byte[2048];
        while (true)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await sink.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop);
            }
            catch (OperationCanceledException)
            {
                return (perPort, wrong);
            }

            var packet = buffer.AsSpan(0, result.ReceivedBytes);
            if (packet.Length != 172 || packet[0] >> 6 != 2 || (packet[1] & 0x7F) != 0)
            {
                wrong++;
                continue;
            }

            var port = ((IPEndPoint)result.RemoteEndPoint).Port;
            perPort[port] = perPort.GetValueOrDefault(port) + 1;
        }
    }
}
