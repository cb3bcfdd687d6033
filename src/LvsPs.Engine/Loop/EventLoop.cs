using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace LvsPs.Engine.Loop;

/// <summary>
/// An epoll(7) thread that drives <see cref="LoopHandler"/>s: TCP relays (both sockets of a connection) and UDP
/// services (the virtual address and each flow's socket to its real server), registered edge-triggered; each readiness
/// event is handled on this thread, without a task, a buffer or a thread-pool hop per read. One loop per core;
/// handlers are spread over them round-robin. Linux only.
/// </summary>
internal sealed class EventLoop
{
    /// <summary>epoll event bits (sys/epoll.h).</summary>
    public const uint In = 0x001, Out = 0x004, Err = 0x008, Hup = 0x010, RdHup = 0x2000, EdgeTriggered = 1u << 31;

    /// <summary>EPOLLEXCLUSIVE (Linux 4.5): of the loops waiting on one listener, a new connection wakes one, not all.</summary>
    public const uint Exclusive = 1u << 28;

    private const int EPOLL_CTL_DEL = 2;
    private const int EPOLL_CTL_ADD = 1, EPOLL_CLOEXEC = 0x80000, EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;
    private const int MaxEvents = 256;
    private const ulong WakeKey = ulong.MaxValue;

    // struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes)
    private static readonly int s_eventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int s_dataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private static readonly Lazy<EventLoop[]?> s_loops = new(CreateLoops);
    private static int s_next;

    private readonly int _epoll, _wake;
    private readonly object _gate = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly ConcurrentQueue<LoopHandler> _released = new();
    private LoopHandler?[] _slots = new LoopHandler?[256];
    private int _usedSlots;
    private uint _generation;
    private int _threadId;

    /// <summary>
    /// The buffer small TCP reads are copied through and UDP datagrams are received into (the largest UDP payload fits);
    /// used only on the loop's thread.
    /// </summary>
    internal byte[] Buffer { get; } = new byte[BufferSize];

    /// <summary>64 KiB: a UDP payload fits, and so does what a TCP read copies into a pipe (a pipe holds 16 pages).</summary>
    public const int BufferSize = 64 * 1024;

    private EventLoop(int epoll, int wake)
    {
        _epoll = epoll;
        _wake = wake;
        new Thread(Run) { IsBackground = true, Name = "LvsPs loop" }.Start();
    }

    /// <summary>Every loop (one per core); empty where epoll(7) is not available.</summary>
    public static IReadOnlyList<EventLoop> All => s_loops.Value ?? (IReadOnlyList<EventLoop>)Array.Empty<EventLoop>();

    /// <summary>The loop for the next handler; null where epoll(7) is not available.</summary>
    public static EventLoop? Next()
    {
        var loops = s_loops.Value;
        return loops is null ? null : loops[(int)((uint)Interlocked.Increment(ref s_next) % (uint)loops.Length)];
    }

    private static EventLoop[]? CreateLoops()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var loops = new EventLoop[Math.Max(1, Environment.ProcessorCount)];
        for (int i = 0; i < loops.Length; i++)
        {
            int epoll = Native.epoll_create1(EPOLL_CLOEXEC);
            int wake = epoll < 0 ? -1 : Native.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (wake < 0 || Add(epoll, wake, In | EdgeTriggered, WakeKey) != 0) return null;
            loops[i] = new EventLoop(epoll, wake);
        }
        return loops;
    }

    /// <summary>Events a TCP relay's sockets are registered for.</summary>
    public const uint StreamEvents = In | Out | RdHup | EdgeTriggered;

    /// <summary>
    /// Registers a handler's socket (side 0) and optionally a second one (side 1, or -1 for none) for
    /// <paramref name="events"/>; false when the handler was released first or epoll refused.
    /// </summary>
    public bool Register(LoopHandler relay, int fd0, int fd1, uint events)
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
        return Add(_epoll, fd0, events, key) == 0 && (fd1 < 0 || Add(_epoll, fd1, events, key | 1) == 0);
    }

    /// <summary>
    /// Registers a handler's socket (side 0) and optionally a second one (side 1): <see cref="Register(LoopHandler, int, int, uint)"/>
    /// for sockets held by <see cref="SafeHandle"/>s, each kept open for the duration of the call (closing a socket later
    /// takes it out of epoll by itself). False when a socket was already closed, the handler was released first, or
    /// epoll refused.
    /// </summary>
    public bool Register(LoopHandler handler, SafeHandle socket0, SafeHandle? socket1, uint events)
    {
        bool added0 = false, added1 = false;
        try
        {
            socket0.DangerousAddRef(ref added0);
            socket1?.DangerousAddRef(ref added1);
            return Register(handler, (int)socket0.DangerousGetHandle(), socket1 is null ? -1 : (int)socket1.DangerousGetHandle(), events);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added0) socket0.DangerousRelease();
            if (added1) socket1!.DangerousRelease();
        }
    }

    /// <summary>Frees the handler's slot on the loop thread and calls its <see cref="LoopHandler.OnReleased"/> there
    /// (closing its sockets takes them out of epoll).</summary>
    /// <summary>
    /// Takes <paramref name="socket"/> out of this loop's epoll set at once (epoll_ctl is safe from any thread), so the
    /// loop gets no more of its wake-ups: a listener handed to another process must not have its exclusive wake-ups
    /// taken here and left unanswered. The handler is still freed with <see cref="Release"/>.
    /// </summary>
    public void Unregister(SafeHandle socket)
    {
        Span<byte> ignored = stackalloc byte[16];
        bool added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            _ = Native.epoll_ctl(_epoll, EPOLL_CTL_DEL, (int)socket.DangerousGetHandle(), ref MemoryMarshal.GetReference(ignored));
        }
        finally
        {
            if (added) socket.DangerousRelease();
        }
    }

    public void Release(LoopHandler relay)
    {
        _released.Enqueue(relay);
        if (Environment.CurrentManagedThreadId == _threadId) return; // freed after the events at hand, without a wake-up
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
        _threadId = Environment.CurrentManagedThreadId;
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
                    ulong count = 0;
                    _ = Native.read(_wake, ref count, sizeof(ulong));
                    continue;
                }
                int slot = (int)((uint)key >> 1);
                var slots = Volatile.Read(ref _slots);
                var relay = slot < slots.Length ? Volatile.Read(ref slots[slot]) : null;
                if (relay is null || relay.Generation != (uint)(key >> 32)) continue; // a released connection's event
                relay.OnEvent((int)(key & 1), flags);
            }
            ReleasePending();
        }
    }

    private void ReleasePending()
    {
        while (_released.TryDequeue(out var relay))
        {
            relay.OnReleased();
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
