using System.Net;
using System.Net.Sockets;

namespace FeatureB2bua.Media.Anchor;

/// <summary>
/// The RTP/RTCP port pairs of <c>Media:PortMin..PortMax</c>. A pair handed out is bound at once, so a port some other
/// process holds is skipped rather than advertised; pairs come back in the order they were freed, so a port is
/// reused as late as possible and stray packets of a finished call are unlikely to meet the next one.
/// </summary>
internal sealed class PortPool
{
    private readonly Queue<int> _free = new();
    private readonly IPAddress _bind;
    private readonly object _gate = new();

    public PortPool(IPAddress bind, int firstEvenPort, int pairs)
    {
        _bind = bind;
        TotalPorts = pairs * 2;
        for (var i = 0; i < pairs; i++)
        {
            _free.Enqueue(firstEvenPort + (2 * i));
        }
    }

    /// <summary>Ports of the range the pool hands out (two a pair; an odd first port of the range is left out).</summary>
    public int TotalPorts { get; }

    /// <summary>Ports not in use (two a pair).</summary>
    public int FreePorts
    {
        get
        {
            lock (_gate)
            {
                return _free.Count * 2;
            }
        }
    }

    /// <summary>A bound pair, or false when every pair is taken or cannot be bound.</summary>
    public bool TryTake(out int port, out Socket rtp, out Socket rtcp)
    {
        lock (_gate)
        {
            for (var tries = _free.Count; tries > 0; tries--)
            {
                port = _free.Dequeue();
                if (TryBind(port) is { } even)
                {
                    if (TryBind(port + 1) is { } odd)
                    {
                        (rtp, rtcp) = (even, odd);
                        return true;
                    }

                    even.Dispose();
                }

                _free.Enqueue(port);
            }
        }

        port = 0;
        rtp = null!;
        rtcp = null!;
        return false;
    }

    public void Return(int port)
    {
        lock (_gate)
        {
            _free.Enqueue(port);
        }
    }

    private Socket? TryBind(int port)
    {
        var socket = new Socket(_bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(_bind, port));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }
}
