using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Media.HoldMusic;
using FeatureB2bua.Sip.Sdp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Media.Tests.Anchor;

/// <summary>An anchor on 127.0.0.1 over a test class's own port range, and the SDP round trips through its sessions.</summary>
internal static class TestAnchor
{
    public static MediaAnchor Create(int portMin, int portMax, TimeProvider? time = null, Action<MediaOptions>? configure = null, MediaMetrics? metrics = null)
    {
        var options = new MediaOptions { Address = "127.0.0.1", PortMin = portMin, PortMax = portMax };
        configure?.Invoke(options);
        return new MediaAnchor(options, time ?? TimeProvider.System, NullLogger<MediaAnchor>.Instance, metrics ?? new MediaMetrics(), new HoldMusicLibrary(Options.Create(new HoldMusicOptions())));
    }

    public static IMediaSession OpenCall(this MediaAnchor anchor, IMediaSessionEvents? events = null) =>
        anchor.Open(events ?? new RecordingEvents()) ?? throw new InvalidOperationException("no ports");

    /// <summary>What the other party receives of <paramref name="sdp"/>; fails the test when the session refuses it.</summary>
    public static string Pass(this IMediaSession session, CallSide from, string sdp, HoldShaping shaping = HoldShaping.None)
    {
        Assert.True(session.TryPass(from, Encoding.UTF8.GetBytes(sdp), shaping, out var passed, out var error), error);
        return Encoding.UTF8.GetString(passed);
    }

    /// <summary>The reason the session refuses <paramref name="sdp"/>; fails the test when it passes.</summary>
    public static string Refuse(this IMediaSession session, CallSide from, string sdp)
    {
        Assert.False(session.TryPass(from, Encoding.UTF8.GetBytes(sdp), HoldShaping.None, out _, out var error), "passed");
        Assert.False(string.IsNullOrWhiteSpace(error));
        return error!;
    }

    public static SessionDescription Parse(string sdp)
    {
        Assert.True(SdpParser.TryParse(Encoding.UTF8.GetBytes(sdp), out var description, out var error), error);
        return description;
    }

    /// <summary>The port of m= line <paramref name="index"/>.</summary>
    public static int PortOf(string sdp, int index = 0) => Parse(sdp).MediaDescriptions[index].Port;

    public static string[] Lines(string sdp, string prefix) =>
        [.. sdp.Split("\r\n").Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];
}

/// <summary>SDP text as phones send it, CRLF-terminated.</summary>
internal static class Sdp
{
    public static string Of(params string[] lines) => string.Concat(lines.Select(l => l + "\r\n"));

    /// <summary>An audio offer of PCMU, PCMA and telephone-event from <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static string Audio(string address, int port, string direction = "sendrecv", long version = 1, params string[] extra) => Of(
    [
        "v=0",
        $"o=phone 1234 {version} IN IP4 {address}",
        "s=call",
        $"c=IN IP4 {address}",
        "t=0 0",
        $"m=audio {port} RTP/AVP 0 8 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
        $"a={direction}",
        .. extra,
    ]);
}

internal static class Wait
{
    /// <summary>
    /// Until <paramref name="condition"/> holds, for at most 2 s: for counts the relay moves just after sending, which
    /// the receiving phone may see a moment before.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(2); !condition() && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(5);
        }
    }
}

internal sealed class RecordingEvents : IMediaSessionEvents
{
    private int _timedOut;

    public int TimedOutCount => Volatile.Read(ref _timedOut);

    public void MediaTimedOut() => Interlocked.Increment(ref _timedOut);

    public IDisposable? EnterLogScope() => null;
}

/// <summary>
/// A phone's media: an RTP socket on 127.0.0.1 and an RTCP socket on the port above it, as its SDP says (RFC 3550 §11).
/// </summary>
internal sealed class Phone : IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(2);

    private Phone(Socket rtp, Socket rtcp)
    {
        Rtp = rtp;
        Rtcp = rtcp;
    }

    public Socket Rtp { get; }

    public Socket Rtcp { get; }

    public int Port => ((IPEndPoint)Rtp.LocalEndPoint!).Port;

    public static Phone Open()
    {
        for (var tries = 0; ; tries++)
        {
            var rtp = Bind(0);
            var port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
            if (port < IPEndPoint.MaxPort)
            {
                try
                {
                    return new Phone(rtp, Bind(port + 1));
                }
                catch (SocketException) when (tries < 50)
                {
                }
            }

            rtp.Dispose();
        }
    }

    public static Socket Bind(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    public string Sdp(string direction = "sendrecv", long version = 1) => Anchor.Sdp.Audio("127.0.0.1", Port, direction, version);

    public static void Send(Socket from, int toPort, byte[] packet) => from.SendTo(packet, new IPEndPoint(IPAddress.Loopback, toPort));

    /// <summary>The next datagram on <paramref name="socket"/> and the port it came from; fails the test after 2 s.</summary>
    public static async Task<(byte[] Packet, int FromPort)> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        try
        {
            var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            var from = (IPEndPoint)result.RemoteEndPoint;
            Assert.Equal(IPAddress.Loopback, from.Address);
            return (buffer[..result.ReceivedBytes], from.Port);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"nothing arrived at port {((IPEndPoint)socket.LocalEndPoint!).Port} within {ReceiveTimeout.TotalSeconds} s");
            throw;
        }
    }

    /// <summary>The next datagram on <paramref name="socket"/> is <paramref name="packet"/>, from our port <paramref name="fromPort"/>.</summary>
    public static async Task ExpectAsync(Socket socket, byte[] packet, int fromPort)
    {
        var (received, from) = await ReceiveAsync(socket);
        Assert.Equal(packet, received);
        Assert.Equal(fromPort, from);
    }

    /// <summary>Nothing is waiting on <paramref name="socket"/>, nor arrives within a short while.</summary>
    public static async Task ExpectNothingAsync(Socket socket)
    {
        await Task.Delay(250);
        Assert.Equal(0, socket.Available);
    }

    public void Dispose()
    {
        Rtp.Dispose();
        Rtcp.Dispose();
    }
}

internal static class Packets
{
    /// <summary>An RTP packet (RFC 3550 §5.1) with a payload that tells it from its neighbours.</summary>
    public static byte[] Rtp(ushort sequence, byte payloadType = 0, uint ssrc = 0x11223344, bool marker = false, int payloadLength = 160)
    {
        var packet = new byte[12 + payloadLength];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 160u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (var i = 12; i < packet.Length; i++)
        {
            packet[i] = (byte)(sequence + i);
        }

        return packet;
    }

    /// <summary>An RTCP sender report without report blocks (RFC 3550 §6.4.1), packet type 200.</summary>
    public static byte[] SenderReport(uint ssrc, uint packetCount)
    {
        var packet = new byte[28];
        packet[0] = 0x80;
        packet[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 6);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(20), packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(24), packetCount * 160);
        return packet;
    }

    /// <summary>An RFC 4733 telephone-event packet: event, E bit, volume, duration.</summary>
    public static byte[] TelephoneEvent(ushort sequence, byte digit, bool end, ushort duration)
    {
        var packet = Rtp(sequence, 101, marker: sequence == 0, payloadLength: 4);
        packet[12] = digit;
        packet[13] = (byte)((end ? 0x80 : 0) | 10);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), duration);
        return packet;
    }
}

/// <summary>A call through the anchor between two phones on loopback: A offered, B answered.</summary>
internal sealed class AnchoredCall : IDisposable
{
    private AnchoredCall(IMediaSession session, Phone a, Phone b, int aFacing, int bFacing)
    {
        Session = session;
        A = a;
        B = b;
        AFacing = aFacing;
        BFacing = bFacing;
    }

    public IMediaSession Session { get; }

    public Phone A { get; }

    public Phone B { get; }

    /// <summary>Our RTP port in the SDP A got: where A sends, and where A's packets come from.</summary>
    public int AFacing { get; }

    /// <summary>Our RTP port in the SDP B got.</summary>
    public int BFacing { get; }

    /// <param name="aSdp">What A offers, when not its own sockets' address (a phone behind NAT, say).</param>
    public static AnchoredCall Connect(MediaAnchor anchor, IMediaSessionEvents? events = null, string? aSdp = null)
    {
        var session = anchor.OpenCall(events);
        var (a, b) = (Phone.Open(), Phone.Open());
        var toB = session.Pass(CallSide.A, aSdp ?? a.Sdp());
        var toA = session.Pass(CallSide.B, b.Sdp());
        return new AnchoredCall(session, a, b, TestAnchor.PortOf(toA), TestAnchor.PortOf(toB));
    }

    public void Dispose()
    {
        Session.Dispose();
        A.Dispose();
        B.Dispose();
    }
}
