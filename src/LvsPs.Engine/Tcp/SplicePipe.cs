using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using LvsPs.Interop;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// A pipe that moves bytes from one socket to another inside the kernel with splice(2) (zero-copy: the pages of the
/// received segments are passed on, never copied to user space). Pipes are pooled and rented only for one transfer
/// (socket -> pipe -> socket until the pipe is empty again), so idle connections hold none. Linux only.
/// </summary>
internal sealed class SplicePipe : IDisposable
{
    private const int MaxPooled = 256;

    private static readonly ConcurrentQueue<SplicePipe> s_pool = new();
    private static int s_pooled;
    private static int s_available = OperatingSystem.IsLinux() ? 1 : 0;

    private readonly int _read, _write;

    private SplicePipe(int read, int write)
    {
        _read = read;
        _write = write;
    }

    /// <summary>The most one <see cref="Fill"/> moves: the pipe's default capacity (16 pages, pipe(7)).</summary>
    public const int Capacity = 64 * 1024;

    /// <summary>False on other systems or once the kernel refused (then relays copy through a buffer).</summary>
    public static bool Available => Volatile.Read(ref s_available) != 0;

    /// <summary>Whether pipes can be made here at all: rents one and gives it back (a director asks once, when it
    /// chooses its transport).</summary>
    public static bool Probe()
    {
        if (Rent() is { } pipe) pipe.Return();
        return Available;
    }

    /// <summary>A pooled pipe, or a new one; null when pipes cannot be made (splice is then turned off).</summary>
    public static SplicePipe? Rent()
    {
        if (s_pool.TryDequeue(out var pipe))
        {
            Interlocked.Decrement(ref s_pooled);
            return pipe;
        }
        Span<int> fds = stackalloc int[2];
        if (Libc.Pipe2(ref MemoryMarshal.GetReference(fds), Libc.O_CLOEXEC | Libc.O_NONBLOCK) != 0)
        {
            // out of descriptors (or no pipes at all): copy through a buffer this time
            if (Errno.Last is not (Errno.EMFILE or Errno.ENFILE)) Volatile.Write(ref s_available, 0);
            return null;
        }
        return new SplicePipe(fds[0], fds[1]);
    }

    /// <summary>Gives back an empty pipe (one with bytes left in it is closed instead).</summary>
    public void Return()
    {
        if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
        {
            s_pool.Enqueue(this);
            return;
        }
        Interlocked.Decrement(ref s_pooled);
        Dispose();
    }

    /// <summary>Moves up to <see cref="Capacity"/> bytes from <paramref name="socket"/> into the empty pipe: bytes moved,
    /// 0 at end of stream, -1 when nothing is there yet. Throws <see cref="IOException"/> on an error (e.g. a reset).</summary>
    public int Fill(SafeHandle socket) => Splice(socket, _write, fromSocket: true, Capacity);

    /// <summary>Moves up to <paramref name="count"/> bytes from the pipe into <paramref name="socket"/>: bytes moved, or -1
    /// when the socket's send buffer is full.</summary>
    public int Drain(SafeHandle socket, int count) => Splice(socket, _read, fromSocket: false, count);

    /// <summary>Puts bytes the destination did not take into the empty pipe, to be drained like spliced ones.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            nint n = Libc.Write(_write, in MemoryMarshal.GetReference(data), (nuint)data.Length);
            if (n > 0) data = data[(int)n..];
            else if (Errno.Last is var errno and not Errno.EINTR) throw new SystemCallException("write into a splice pipe", errno);
        }
    }

    private static int Splice(SafeHandle socket, int pipeFd, bool fromSocket, int count)
    {
        using var lease = new HandleLease(socket); // the socket's descriptor cannot be closed (and reused) under us
        int fd = lease.Fd;
        while (true)
        {
            nint n = fromSocket
                ? Libc.Splice(fd, 0, pipeFd, 0, (nuint)count, Libc.SPLICE_F_MOVE | Libc.SPLICE_F_NONBLOCK)
                : Libc.Splice(pipeFd, 0, fd, 0, (nuint)count, Libc.SPLICE_F_MOVE | Libc.SPLICE_F_NONBLOCK);
            if (n >= 0) return (int)n;
            int errno = Errno.Last;
            if (errno == Errno.EINTR) continue;
            if (errno == Errno.EAGAIN) return -1;
            throw new SystemCallException("splice", errno);
        }
    }

    public void Dispose()
    {
        Libc.Close(_read);
        Libc.Close(_write);
    }
}
