using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FeatureB2bua.Media.Anchor;

/// <summary>
/// The receive side of the relay on Linux x86-64: a thread per core waits in epoll_wait on the media sockets and reads
/// a datagram from each ready socket (level-triggered: one still holding data is reported again; a few when the loop is
/// behind), handing it to its
/// <see cref="MediaPort"/>, which sends it on at once. The runtime's own socket engine does the same waiting, but then
/// completes every receive through its queues (and a thread-pool hand-off unless inlined); for a relay, a datagram in
/// and a datagram out, that machinery was most of the cost per packet (bench/RESULTS.md, "Media relay"). Elsewhere the
/// ports use async receive loops.
/// </summary>
internal sealed unsafe partial class EpollRelay : IDisposable
{
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const uint EpollIn = 0x001;
    private const int EpollCloexec = 0x80000;
    private const int MsgDontWait = 0x40;
    private const int MaxEvents = 256;
    private const int BacklogReads = 4;

    /// <summary>How often an idle loop looks whether the relay is being disposed.</summary>
    private const int WaitMilliseconds = 250;

    private readonly int[] _epolls;
    private readonly MediaPort?[] _byPort = new MediaPort?[65536];
    private readonly Thread[] _threads;
    private int _next;
    private volatile bool _disposed;

    public EpollRelay(int threads)
    {
        _epolls = new int[threads];
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _epolls[i] = EpollCreate1(EpollCloexec);
            if (_epolls[i] < 0)
            {
                throw new InvalidOperationException($"epoll_create1 failed (errno {Marshal.GetLastPInvokeError()})");
            }

            var epoll = _epolls[i];
            _threads[i] = new Thread(() => Run(epoll)) { IsBackground = true, Name = $"media relay {i}" };
            _threads[i].Start();
        }
    }

    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>
    /// Starts reading <paramref name="port"/>'s socket; its datagrams reach <see cref="MediaPort.Read"/> on one relay
    /// thread, always the same. Returns the epoll set it joined, for <see cref="Remove"/>.
    /// </summary>
    public int Add(MediaPort port, nint socket)
    {
        Volatile.Write(ref _byPort[port.Port], port);
        var registration = new EpollEvent { Events = EpollIn, Data = (ulong)port.Port };
        var epoll = _epolls[(uint)Interlocked.Increment(ref _next) % (uint)_epolls.Length];
        if (EpollCtl(epoll, EpollCtlAdd, (int)socket, &registration) != 0)
        {
            throw new InvalidOperationException($"epoll_ctl failed for media port {port.Port} (errno {Marshal.GetLastPInvokeError()})");
        }

        return epoll;
    }

    /// <summary>Stops reading the socket before it is closed, so that a later socket on the same port is not mistaken for it.</summary>
    public void Remove(MediaPort port, nint socket, int epoll)
    {
        Interlocked.CompareExchange(ref _byPort[port.Port], null, port);
        var none = default(EpollEvent);
        _ = EpollCtl(epoll, EpollCtlDel, (int)socket, &none);
    }

    /// <summary>One datagram without blocking, its source in <paramref name="address"/>; negative when the socket is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Receive(nint socket, Span<byte> buffer, Span<byte> address, out int addressLength)
    {
        var length = address.Length;
        fixed (byte* data = buffer)
        fixed (byte* from = address)
        {
            var received = RecvFrom(socket, data, buffer.Length, MsgDontWait, from, &length);
            addressLength = length;
            return (int)received;
        }
    }

    /// <summary>One datagram to <paramref name="address"/> (a native sockaddr); negative when it could not be sent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Send(nint socket, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> address)
    {
        fixed (byte* data = packet)
        fixed (byte* to = address)
        {
            return (int)SendTo(socket, data, packet.Length, MsgDontWait, to, address.Length);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        foreach (var epoll in _epolls)
        {
            _ = Close(epoll);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run(int epoll)
    {
        var events = stackalloc EpollEvent[MaxEvents];
        while (!_disposed)
        {
            var ready = EpollWait(epoll, events, MaxEvents, WaitMilliseconds);

            // A full set of events means the loop is behind: then each socket likely holds more than one datagram, and
            // reading a few at once saves epoll reporting the same sockets again for each.
            var reads = ready == MaxEvents ? BacklogReads : 1;
            for (var i = 0; i < ready; i++)
            {
                Volatile.Read(ref _byPort[(int)events[i].Data])?.Read(reads);
            }
        }
    }

    /// <summary>struct epoll_event, packed on x86-64 (__EPOLL_PACKED in sys/epoll.h).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epoll, int operation, int fd, EpollEvent* registration);

    [LibraryImport("libc", EntryPoint = "epoll_wait")]
    private static partial int EpollWait(int epoll, EpollEvent* events, int maxEvents, int timeout);

    // recvfrom and sendto with MSG_DONTWAIT never block and take microseconds: no GC transition around them.
    [LibraryImport("libc", EntryPoint = "recvfrom")]
    [SuppressGCTransition]
    private static partial nint RecvFrom(nint socket, byte* buffer, nint length, int flags, byte* address, int* addressLength);

    [LibraryImport("libc", EntryPoint = "sendto")]
    [SuppressGCTransition]
    private static partial nint SendTo(nint socket, byte* buffer, nint length, int flags, byte* address, int addressLength);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
