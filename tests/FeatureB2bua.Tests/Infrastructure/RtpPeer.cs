using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>A phone's media socket on loopback: its SDP, RTP packets it sends, and what reaches it.</summary>
public sealed class RtpPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly uint _ssrc;
    private ushort _sequence;

    public RtpPeer(uint ssrc)
    {
        _ssrc = ssrc;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>An SDP offer or answer that receives PCMU (and RFC 4733 events) on this socket.</summary>
    public string Sdp(string user, string direction = "sendrecv") =>
        $"v=0\r\no={user} 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {Port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na={direction}\r\n";

    /// <summary>A 172-byte PCMU packet whose payload carries this peer's SSRC and the packet's number.</summary>
    public byte[] Packet(int number)
    {
        var packet = new byte[172];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), _sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)number * 160);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), _ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), _ssrc);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(16), number);
        return packet;
    }

    public void SendTo(int port, byte[] packet) => _socket.SendTo(packet, new IPEndPoint(IPAddress.Loopback, port));

    /// <summary>
    /// Datagrams with the port each came from: until <paramref name="expected"/> have arrived (or 5 s have passed), and
    /// then any more that come within <paramref name="quiet"/>, so that an extra packet is seen too.
    /// </summary>
    public async Task<List<(byte[] Packet, int FromPort)>> ReceiveAsync(int expected, TimeSpan quiet)
    {
        var received = new List<(byte[], int)>();
        var buffer = new byte[2048];
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var wait = received.Count < expected ? deadline - DateTime.UtcNow : quiet;
            if (wait <= TimeSpan.Zero)
            {
                return received;
            }

            using var timeout = new CancellationTokenSource(wait);
            try
            {
                var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
                received.Add((buffer.AsSpan(0, result.ReceivedBytes).ToArray(), ((IPEndPoint)result.RemoteEndPoint).Port));
            }
            catch (OperationCanceledException)
            {
                return received;
            }
        }
    }

    /// <summary>The m= port of an SDP body: where the anchor wants this peer's RTP.</summary>
    public static int MediaPort(ReadOnlySpan<byte> sdp)
    {
        var text = System.Text.Encoding.ASCII.GetString(sdp);
        var m = text[(text.IndexOf("m=audio ", StringComparison.Ordinal) + 8)..];
        return int.Parse(m[..m.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _socket.Dispose();
}
