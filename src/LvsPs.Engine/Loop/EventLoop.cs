using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// An epoll(7) thread that drives <see cref="SpliceRelay"/>s: both sockets of a relayed connection are registered
/// edge-triggered, and each readiness event moves bytes with splice(2) on this thread, without a task, a buffer or a
/// thread-pool hop per read. One loop per core; connections are spread over them round-robin. Linux only.
/// </summary>
internal sealed class SpliceLoop
{
    private const uint EPOLLIN = 0x001, EPOLLOUT = 0x004, EPOLLERR = 0x008, EPOLLHUP = 0x010, EPOLLRDHUP = 0x2000;
    private const uint EPOLLET = 1u << 31;
    private const int EPOLL_CTL_ADD = 1, EPOLL_CLOEXEC = 0x80000, EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;
    private const int MaxEvents = 256;
    private const ulong WakeKey = ulong.MaxValue;

    // struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes)
    private static readonly int s_eventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int s_dataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private static readonly Lazy<SpliceLoop[]?> s_loops = new(CreateLoops);
    private static int s_next;

    private readonly int _epoll, _wake;
    private readonly object _gate = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly ConcurrentQueue<SpliceRelay> _released = new();
    private SpliceRelay?[] _slots = new SpliceRelay?[256];
    private int _usedSlots;
    private uint _generation;

    /// <summary>The buffer small reads are copied through; used only on the loop's thread.</summary>
    internal byte[] Buffer { get; } = new byte[SplicePipe.Capacity];

    private SpliceLoop(int epoll, int wake)
    {
        _epoll = epoll;
        _wake = wake;
        new Thread(Run) { IsBackground = true, Name = "LvsPs splice" }.Start();
    }

    /// <summary>The loop for the next connection; null where splice(2) or epoll(7) is not available.</summary>
    public static SpliceLoop? Next()
    {
        if (!SplicePipe.Available) return null;
        var loops = s_loops.Value;
        return loops is null ? null : loops[(int)((uint)Interlocked.Increment(ref s_next) % (uint)loops.Length)];
    }

    private static SpliceLoop[]? CreateLoops()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var loops = new SpliceLoop[Math.Max(1, Environment.ProcessorCount)];
        for (int i = 0; i < loops.Length; i++)
        {
            int epoll = Native.epoll_create1(EPOLL_CLOEXEC);
            int wake = epoll < 0 ? -1 : Native.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (wake < 0 || Add(epoll, wake, EPOLLIN | EPOLLET, WakeKey) != 0) return null;
            loops[i] = new SpliceLoop(epoll, wake);
        }
        return loops;
    }

    /// <summary>Registers the relay's two sockets; false when it was released first or epoll refused.</summary>
    public bool Register(SpliceRelay relay, int clientFd, int backendFd)
    {
        ulong key;
        lock (_gate)
        {
            if (relay.Released) return false;
            int slot;
            if (_freeSlots.Count > 0) slot = _freeSlots.Pop();
            else
            {
                if (_usedSlots == _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
                slot = _usedSlots++;
            }
            relay.Slot = slot;
            relay.Generation = ++_generation;
            Volatile.Write(ref _slots[slot], relay);
            key = ((ulong)relay.Generation << 32) | ((uint)slot << 1);
        }
        const uint events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        return Add(_epoll, clientFd, events, key) == 0 && Add(_epoll, backendFd, events, key | 1) == 0;
    }

    /// <summary>Frees the relay's slot and pipes on the loop thread (closing its sockets took them out of epoll).</summary>
    public void Release(SpliceRelay relay)
    {
        _released.Enqueue(relay);
        ulong one = 1;
        _ = Native.write(_wake, ref one, sizeof(ulong));
    }

    private static int Add(int epoll, int fd, uint events, ulong key)
    {
        Span<byte> ev = stackalloc byte[16];
        MemoryMarshal.Write(ev, in events);
        MemoryMarshal.Write(ev[s_dataOffset..], in key);
        return Native.epoll_ctl(epoll, EPOLL_CTL_ADD, fd, ref MemoryMarshal.GetReference(ev));
    }

    private void Run()
    {
        var events = new byte[MaxEvents * s_eventSize];
        while (true)
        {
            int n = Native.epoll_wait(_epoll, ref events[0], MaxEvents, -1);
            if (n < 0) continue; // EINTR
            for (int i = 0; i < n; i++)
            {
                var ev = events.AsSpan(i * s_eventSize, s_eventSize);
                uint flags = MemoryMarshal.Read<uint>(ev);
                ulong key = MemoryMarshal.Read<ulong>(ev[s_dataOffset..]);
                if (key == WakeKey)
                {
                    ReleasePending();
                    continue;
                }
                int slot = (int)((uint)key >> 1);
                var slots = Volatile.Read(ref _slots);
                var relay = slot < slots.Length ? Volatile.Read(ref slots[slot]) : null;
                if (relay is null || relay.Generation != (uint)(key >> 32)) continue; // a released connection's event
                int side = (int)(key & 1);
                relay.OnEvent(side, readable: (flags & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0,
                    writable: (flags & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0, hangup: (flags & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0);
            }
        }
    }

    private void ReleasePending()
    {
        ulong count = 0;
        _ = Native.read(_wake, ref count, sizeof(ulong));
        while (_released.TryDequeue(out var relay))
        {
            relay.ReleasePipes();
            lock (_gate)
            {
                relay.Released = true;
                if (relay.Slot < 0) continue;
                _slots[relay.Slot] = null;
                _freeSlots.Push(relay.Slot);
                relay.Slot = -1;
            }
        }
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int epoll_create1(int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int epoll_ctl(int epfd, int op, int fd, ref byte ev);

        [DllImport("libc", SetLastError = true)]
        public static extern int epoll_wait(int epfd, ref byte events, int maxEvents, int timeout);

        [DllImport("libc", SetLastError = true)]
        public static extern int eventfd(uint initval, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern nint write(int fd, ref ulong value, nuint count);

        [DllImport("libc", SetLastError = true)]
        public static extern nint read(int fd, ref ulong value, nuint count);
    }
}
