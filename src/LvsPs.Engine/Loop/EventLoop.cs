using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using LvsPs.Interop;
using Microsoft.Win32.SafeHandles;

namespace LvsPs.Engine.Loop;

/// <summary>
/// An epoll(7) thread that drives <see cref="LoopHandler"/>s: TCP relays (both sockets of a connection) and UDP
/// services (the virtual address and each flow's socket to its real server), registered edge-triggered; each readiness
/// event is handled on this thread, without a task, a buffer or a thread-pool hop per read. A director owns its
/// loops (<see cref="EventLoopGroup"/>, one per core) and stops them when it stops. Linux only.
/// </summary>
internal sealed class EventLoop
{
    /// <summary>epoll event bits (sys/epoll.h).</summary>
    public const uint In = 0x001, Out = 0x004, Err = 0x008, Hup = 0x010, RdHup = 0x2000, EdgeTriggered = 1u << 31;

    /// <summary>EPOLLEXCLUSIVE (Linux 4.5): of the loops waiting on one listener, a new connection wakes one, not all.</summary>
    public const uint Exclusive = 1u << 28;

    private const int MaxEvents = 256;
    private const ulong WakeKey = ulong.MaxValue;

    // struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes)
    private static readonly int s_eventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int s_dataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly SafeFileHandle _epoll, _wake;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly ConcurrentQueue<LoopHandler> _released = new();
    private LoopHandler?[] _slots = new LoopHandler?[256];
    private int _usedSlots;
    private uint _generation;
    private volatile bool _stopping, _stopped;

    // work to run later on the loop's thread, by due time (Environment.TickCount64); touched on that thread only
    private readonly PriorityQueue<Action, long> _due = new();

    /// <summary>
    /// The buffer small TCP reads are copied through and UDP datagrams are received into (the largest UDP payload fits);
    /// used only on the loop's thread.
    /// </summary>
    internal byte[] Buffer { get; } = new byte[BufferSize];

    /// <summary>64 KiB: a UDP payload fits, and so does what a TCP read copies into a pipe (a pipe holds 16 pages).</summary>
    public const int BufferSize = 64 * 1024;

    private EventLoop(SafeFileHandle epoll, SafeFileHandle wake)
    {
        _epoll = epoll;
        _wake = wake;
        _thread = new Thread(Run) { IsBackground = true, Name = "LvsPs loop" };
        _thread.Start();
    }

    /// <summary>The loop's thread (tests check that it ends with its director).</summary>
    internal Thread Thread => _thread;

    /// <summary>A loop with its epoll set and wake-up eventfd; null where epoll(7) or eventfd(2) is not available.</summary>
    public static EventLoop? Create()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var epoll = new SafeFileHandle(Libc.EpollCreate1(Libc.EPOLL_CLOEXEC), ownsHandle: true);
        if (epoll.IsInvalid) return null;
        var wake = new SafeFileHandle(Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), ownsHandle: true);
        if (wake.IsInvalid || Add(epoll, wake, In | EdgeTriggered, WakeKey) != 0)
        {
            wake.Dispose();
            epoll.Dispose();
            return null;
        }
        return new EventLoop(epoll, wake);
    }

    /// <summary>
    /// Ends the loop: its thread frees what was released before, then exits, and its epoll and eventfd descriptors are
    /// closed. Handlers released later are freed on the caller's thread. Waits for the thread unless called on it.
    /// </summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
        }
        Wake();
        if (Environment.CurrentManagedThreadId != _thread.ManagedThreadId) _thread.Join();
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
        if (!HandleLease.TryLease(_epoll, out var epoll)) return false; // the loop has stopped
        using (epoll) return Add(epoll.Fd, fd0, events, key) == 0 && (fd1 < 0 || Add(epoll.Fd, fd1, events, key | 1) == 0);
    }

    /// <summary>
    /// Registers a handler's socket (side 0) and optionally a second one (side 1): <see cref="Register(LoopHandler, int, int, uint)"/>
    /// for sockets held by <see cref="SafeHandle"/>s, each kept open for the duration of the call (closing a socket later
    /// takes it out of epoll by itself). False when a socket was already closed, the handler was released first, or
    /// epoll refused.
    /// </summary>
    public bool Register(LoopHandler handler, SafeHandle socket0, SafeHandle? socket1, uint events)
    {
        if (!HandleLease.TryLease(socket0, out var lease0)) return false;
        using (lease0)
        {
            if (socket1 is null) return Register(handler, lease0.Fd, -1, events);
            if (!HandleLease.TryLease(socket1, out var lease1)) return false;
            using (lease1) return Register(handler, lease0.Fd, lease1.Fd, events);
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
        using var lease = new HandleLease(socket);
        if (!HandleLease.TryLease(_epoll, out var epoll)) return; // the loop has stopped: nothing is waited on
        using (epoll) _ = Libc.EpollCtl(epoll.Fd, Libc.EPOLL_CTL_DEL, lease.Fd, ref MemoryMarshal.GetReference(ignored));
    }

    public void Release(LoopHandler relay)
    {
        _released.Enqueue(relay);
        if (_stopped)
        {
            lock (_gate) ReleasePending(); // no thread any more: freed here
            return;
        }
        if (Environment.CurrentManagedThreadId == _thread.ManagedThreadId) return; // freed after the events at hand, without a wake-up
        Wake();
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the loop's thread once about <paramref name="milliseconds"/> have passed: the
    /// loop's epoll_wait times out at the earliest such time, so no timer and no thread-pool hop is involved. Called on
    /// the loop's thread only (from a handler's <see cref="LoopHandler.OnEvent"/> or from an earlier action); actions
    /// still waiting when the loop stops are dropped.
    /// </summary>
    public void After(int milliseconds, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (Environment.CurrentManagedThreadId != _thread.ManagedThreadId)
            throw new InvalidOperationException("EventLoop.After is called on the loop's own thread only.");
        _due.Enqueue(action, Environment.TickCount64 + Math.Max(0, milliseconds));
    }

    /// <summary>epoll_wait's timeout: until the earliest waiting action is due, or for ever (-1) when none waits.</summary>
    private int WaitTimeout()
    {
        if (!_due.TryPeek(out _, out long due)) return -1;
        return (int)Math.Clamp(due - Environment.TickCount64, 0, int.MaxValue);
    }

    /// <summary>Runs the actions that are due, in due order; one that throws is the caller's bug and ends the loop, as a
    /// handler's exception does.</summary>
    private void RunDue()
    {
        long now = Environment.TickCount64;
        while (_due.TryPeek(out var action, out long due) && due <= now)
        {
            _due.Dequeue();
            action();
        }
    }

    private void Wake()
    {
        if (!HandleLease.TryLease(_wake, out var wake)) return;
        using (wake)
        {
            ulong one = 1;
            _ = Libc.Write(wake.Fd, ref one, sizeof(ulong));
        }
    }

    private static int Add(SafeHandle epoll, SafeHandle fd, uint events, ulong key)
    {
        using var e = new HandleLease(epoll);
        using var f = new HandleLease(fd);
        return Add(e.Fd, f.Fd, events, key);
    }

    private static int Add(int epoll, int fd, uint events, ulong key)
    {
        Span<byte> ev = stackalloc byte[16];
        MemoryMarshal.Write(ev, in events);
        MemoryMarshal.Write(ev[s_dataOffset..], in key);
        return Libc.EpollCtl(epoll, Libc.EPOLL_CTL_ADD, fd, ref MemoryMarshal.GetReference(ev));
    }

    private void Run()
    {
        var events = new byte[MaxEvents * s_eventSize];
        using (var epollLease = new HandleLease(_epoll))
        using (var wakeLease = new HandleLease(_wake))
        {
            int epoll = epollLease.Fd, wake = wakeLease.Fd;
            while (!_stopping)
            {
                int n = Libc.EpollWait(epoll, ref events[0], MaxEvents, WaitTimeout());
                if (n < 0) continue; // EINTR
                for (int i = 0; i < n; i++)
                {
                    var ev = events.AsSpan(i * s_eventSize, s_eventSize);
                    uint flags = MemoryMarshal.Read<uint>(ev);
                    ulong key = MemoryMarshal.Read<ulong>(ev[s_dataOffset..]);
                    if (key == WakeKey)
                    {
                        ulong count = 0;
                        _ = Libc.Read(wake, ref count, sizeof(ulong));
                        continue;
                    }
                    int slot = (int)((uint)key >> 1);
                    var slots = Volatile.Read(ref _slots);
                    var relay = slot < slots.Length ? Volatile.Read(ref slots[slot]) : null;
                    if (relay is null || relay.Generation != (uint)(key >> 32)) continue; // a released connection's event
                    relay.OnEvent((int)(key & 1), flags);
                }
                ReleasePending();
                RunDue();
            }
        }
        lock (_gate)
        {
            _stopped = true;
            ReleasePending();
        }
        _wake.Dispose();
        _epoll.Dispose();
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
}
