using System.Runtime.InteropServices;

namespace LvsPs.Engine.Loop;

/// <summary>Non-blocking accept4(2), connect(2), recv(2), send(2), recvfrom(2) and sendto(2) on a socket's descriptor for the event loop, which copies small TCP reads through
/// its one buffer: for a few hundred bytes a copy costs less than splice(2), which moves a linear skb's bytes into a
/// freshly allocated page.</summary>
internal static class RawSocket
{
    private const int EINTR = 4, EAGAIN = 11, ECONNABORTED = 103, EINPROGRESS = 115;
    private const int SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    private const int MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;

    // linux/in.h IP_FREEBIND 15 at SOL_IP 0; linux/in6.h IPV6_FREEBIND 78 at SOL_IPV6 41 (since Linux 4.15)
    private const int SOL_IP = 0, IP_FREEBIND = 15, SOL_IPV6 = 41, IPV6_FREEBIND = 78;

    /// <summary>Lets <paramref name="socket"/> bind an address the host does not hold (yet): setsockopt IP_FREEBIND / IPV6_FREEBIND.</summary>
    public static void SetFreeBind(System.Net.Sockets.Socket socket)
    {
        bool v6 = socket.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        socket.SetRawSocketOption(v6 ? SOL_IPV6 : SOL_IP, v6 ? IPV6_FREEBIND : IP_FREEBIND, BitConverter.GetBytes(1));
    }

    /// <summary>Bytes read, 0 at end of stream, -1 when nothing is there; throws <see cref="IOException"/> on an error.</summary>
    public static int Receive(SafeHandle socket, Span<byte> buffer) => Call(socket, buffer, send: false);

    /// <summary>Bytes sent (possibly fewer than given), -1 when the send buffer is full.</summary>
    public static int Send(SafeHandle socket, ReadOnlySpan<byte> data) => Call(socket, MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(data), data.Length), send: true);

    /// <summary>A non-blocking connect(2): true when connected at once, false while in progress (EINPROGRESS); throws
    /// <see cref="IOException"/> on an error. Unlike Socket.Connect it does not throw for "in progress".</summary>
    public static bool Connect(SafeHandle socket, System.Net.IPEndPoint endPoint)
    {
        var address = endPoint.Serialize(); // the native sockaddr (family, port, address) as .NET lays it out
        using var lease = new DescriptorLease(socket);
        int fd = lease.Fd;
        while (true)
        {
            int r = Native.connect(fd, ref address.Buffer.Span[0], address.Size);
            if (r == 0) return true;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EINPROGRESS) return false;
            if (errno != EINTR) throw new IOException($"connect failed (errno {errno}).");
        }
    }

    /// <summary>
    /// recvfrom(2) of one datagram: its length (0 is an empty datagram), or -1 when none is queued; the sender's
    /// sockaddr goes to <paramref name="address"/> and its length to <paramref name="addressLength"/>. Throws
    /// <see cref="IOException"/> on an error (on a connected UDP socket, an earlier datagram's ICMP error shows up here once).
    /// </summary>
    public static int ReceiveFrom(SafeHandle socket, Span<byte> buffer, Span<byte> address, out int addressLength)
    {
        using var lease = new DescriptorLease(socket);
        int fd = lease.Fd;
        while (true)
        {
            int length = address.Length;
            nint n = Native.recvfrom(fd, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, MSG_DONTWAIT,
                ref MemoryMarshal.GetReference(address), ref length);
            if (n >= 0)
            {
                addressLength = length;
                return (int)n;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR) continue;
            addressLength = 0;
            if (errno == EAGAIN) return -1;
            throw new IOException($"recvfrom failed (errno {errno}).");
        }
    }

    /// <summary>sendto(2) of one datagram to the sockaddr in <paramref name="address"/>: false when the send buffer is full
    /// (the datagram is dropped, as a full queue drops it on the wire); throws <see cref="IOException"/> on an error.</summary>
    public static bool SendTo(SafeHandle socket, ReadOnlySpan<byte> data, ReadOnlySpan<byte> address)
    {
        using var lease = new DescriptorLease(socket);
        int fd = lease.Fd;
        while (true)
        {
            nint n = Native.sendto(fd, ref MemoryMarshal.GetReference(data), (nuint)data.Length, MSG_DONTWAIT | MSG_NOSIGNAL,
                ref MemoryMarshal.GetReference(address), address.Length);
            if (n >= 0) return true;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return false;
            throw new IOException($"sendto failed (errno {errno}).");
        }
    }

    /// <summary>
    /// accept4(2) of one queued connection, non-blocking and close-on-exec: its descriptor, or -1 when none is queued; the
    /// peer's sockaddr goes to <paramref name="address"/>. Throws <see cref="IOException"/> on an error other than a
    /// connection that went away before it was taken (ECONNABORTED: the next one is taken instead).
    /// </summary>
    public static int Accept(SafeHandle listener, Span<byte> address, out int addressLength)
    {
        using var lease = new DescriptorLease(listener);
        int fd = lease.Fd;
        while (true)
        {
            int length = address.Length;
            int client = Native.accept4(fd, ref MemoryMarshal.GetReference(address), ref length, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (client >= 0)
            {
                addressLength = length;
                return client;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR || errno == ECONNABORTED) continue;
            addressLength = 0;
            if (errno == EAGAIN) return -1;
            throw new IOException($"accept4 failed (errno {errno}).");
        }
    }

    private static int Call(SafeHandle socket, Span<byte> buffer, bool send)
    {
        using var lease = new DescriptorLease(socket);
        int fd = lease.Fd;
        while (true)
        {
            nint n = send
                ? Native.send(fd, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, MSG_DONTWAIT | MSG_NOSIGNAL)
                : Native.recv(fd, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, MSG_DONTWAIT);
            if (n >= 0) return (int)n;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return -1;
            throw new IOException($"{(send ? "send" : "recv")} failed (errno {errno}).");
        }
    }

    /// <summary>A socket's descriptor, kept from being closed and reused until disposed (a SafeHandle add-ref).</summary>
    private readonly ref struct DescriptorLease
    {
        private readonly SafeHandle _handle;

        public DescriptorLease(SafeHandle handle)
        {
            bool added = false;
            handle.DangerousAddRef(ref added); // throws ObjectDisposedException once the socket is closed
            _handle = handle;
            Fd = (int)handle.DangerousGetHandle();
        }

        public int Fd { get; }

        public void Dispose() => _handle.DangerousRelease();
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern nint recv(int fd, ref byte buffer, nuint length, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int connect(int fd, ref byte address, int length);

        [DllImport("libc", SetLastError = true)]
        public static extern nint send(int fd, ref byte buffer, nuint length, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int accept4(int fd, ref byte address, ref int addressLength, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern nint recvfrom(int fd, ref byte buffer, nuint length, int flags, ref byte address, ref int addressLength);

        [DllImport("libc", SetLastError = true)]
        public static extern nint sendto(int fd, ref byte buffer, nuint length, int flags, ref byte address, int addressLength);
    }
}
