using System.Runtime.InteropServices;
using LvsPs.Interop;

namespace LvsPs.Engine.Loop;

/// <summary>Non-blocking accept4(2), connect(2), recv(2), send(2), recvfrom(2) and sendto(2) on a socket's descriptor for the event loop, which copies small TCP reads through
/// its one buffer: for a few hundred bytes a copy costs less than splice(2), which moves a linear skb's bytes into a
/// freshly allocated page.</summary>
internal static class RawSocket
{
    // IP_FREEBIND at SOL_IP (linux/in.h); IPV6_FREEBIND at SOL_IPV6 (linux/in6.h, since Linux 4.15)

    /// <summary>Lets <paramref name="socket"/> bind an address the host does not hold (yet): setsockopt IP_FREEBIND / IPV6_FREEBIND.</summary>
    public static void SetFreeBind(System.Net.Sockets.Socket socket)
    {
        bool v6 = socket.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        socket.SetRawSocketOption(v6 ? Libc.SOL_IPV6 : Libc.SOL_IP, v6 ? Libc.IPV6_FREEBIND : Libc.IP_FREEBIND, BitConverter.GetBytes(1));
    }

    /// <summary>Bytes read, 0 at end of stream, -1 when nothing is there; throws <see cref="IOException"/> on an error.</summary>
    public static int Receive(SafeHandle socket, Span<byte> buffer) => Call(socket, buffer, send: false);

    /// <summary>Bytes sent (possibly fewer than given), -1 when the send buffer is full.</summary>
    public static int Send(SafeHandle socket, ReadOnlySpan<byte> data) => Call(socket, MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(data), data.Length), send: true);

    /// <summary>A non-blocking connect(2): true when connected at once, false while in progress (EINPROGRESS); throws
    /// <see cref="IOException"/> on an error. Unlike Socket.Connect it does not throw for "in progress".</summary>
    public static bool Connect(SafeHandle socket, System.Net.IPEndPoint endPoint)
    {
        Span<byte> address = stackalloc byte[PeerAddress.MaxSockAddr];
        int length = PeerAddress.Write(endPoint, address);
        using var lease = new HandleLease(socket);
        int fd = lease.Fd;
        while (true)
        {
            int r = Libc.Connect(fd, ref MemoryMarshal.GetReference(address), length);
            if (r == 0) return true;
            int errno = Errno.Last;
            if (errno == Errno.EINPROGRESS) return false;
            if (errno != Errno.EINTR) throw new SystemCallException("connect", errno);
        }
    }

    /// <summary>
    /// recvfrom(2) of one datagram: its length (0 is an empty datagram), or -1 when none is queued; the sender's
    /// sockaddr goes to <paramref name="address"/> and its length to <paramref name="addressLength"/>. Throws
    /// <see cref="IOException"/> on an error (on a connected UDP socket, an earlier datagram's ICMP error shows up here once).
    /// </summary>
    public static int ReceiveFrom(SafeHandle socket, Span<byte> buffer, Span<byte> address, out int addressLength)
    {
        using var lease = new HandleLease(socket);
        int fd = lease.Fd;
        while (true)
        {
            int length = address.Length;
            nint n = Libc.RecvFrom(fd, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, Libc.MSG_DONTWAIT,
                ref MemoryMarshal.GetReference(address), ref length);
            if (n >= 0)
            {
                addressLength = length;
                return (int)n;
            }
            int errno = Errno.Last;
            if (errno == Errno.EINTR) continue;
            addressLength = 0;
            if (errno == Errno.EAGAIN) return -1;
            throw new SystemCallException("recvfrom", errno);
        }
    }

    /// <summary>sendto(2) of one datagram to the sockaddr in <paramref name="address"/>: false when the send buffer is full
    /// (the datagram is dropped, as a full queue drops it on the wire); throws <see cref="IOException"/> on an error.</summary>
    public static bool SendTo(SafeHandle socket, ReadOnlySpan<byte> data, ReadOnlySpan<byte> address)
    {
        using var lease = new HandleLease(socket);
        int fd = lease.Fd;
        while (true)
        {
            nint n = Libc.SendTo(fd, ref MemoryMarshal.GetReference(data), (nuint)data.Length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL,
                ref MemoryMarshal.GetReference(address), address.Length);
            if (n >= 0) return true;
            int errno = Errno.Last;
            if (errno == Errno.EINTR) continue;
            if (errno == Errno.EAGAIN) return false;
            throw new SystemCallException("sendto", errno);
        }
    }

    /// <summary>
    /// accept4(2) of one queued connection, non-blocking and close-on-exec: its descriptor, or -1 when none is queued; the
    /// peer's sockaddr goes to <paramref name="address"/>. Throws <see cref="IOException"/> on an error other than a
    /// connection that went away before it was taken (ECONNABORTED: the next one is taken instead).
    /// </summary>
    public static int Accept(SafeHandle listener, Span<byte> address, out int addressLength)
    {
        using var lease = new HandleLease(listener);
        int fd = lease.Fd;
        while (true)
        {
            int length = address.Length;
            int client = Libc.Accept4(fd, ref MemoryMarshal.GetReference(address), ref length, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
            if (client >= 0)
            {
                addressLength = length;
                return client;
            }
            int errno = Errno.Last;
            if (errno == Errno.EINTR || errno == Errno.ECONNABORTED) continue;
            addressLength = 0;
            if (errno == Errno.EAGAIN) return -1;
            throw new SystemCallException("accept4", errno);
        }
    }

    private static int Call(SafeHandle socket, Span<byte> buffer, bool send)
    {
        using var lease = new HandleLease(socket);
        int fd = lease.Fd;
        while (true)
        {
            nint n = send
                ? Libc.Send(fd, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL)
                : Libc.Recv(fd, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, Libc.MSG_DONTWAIT);
            if (n >= 0) return (int)n;
            int errno = Errno.Last;
            if (errno == Errno.EINTR) continue;
            if (errno == Errno.EAGAIN) return -1;
            throw new SystemCallException(send ? "send" : "recv", errno);
        }
    }


    /// <summary>setsockopt(2) of an int option; throws <see cref="SystemCallException"/> when the kernel refuses.</summary>
    public static void SetOption(SafeHandle socket, int level, int name, int value)
    {
        using var lease = new HandleLease(socket);
        if (Libc.SetSockOpt(lease.Fd, level, name, value, sizeof(int)) != 0) throw new SystemCallException($"setsockopt({level}, {name})", Errno.Last);
    }

    /// <summary>TCP_NODELAY: small relayed writes leave at once (the peers decide their own batching).</summary>
    public static void SetNoDelay(SafeHandle socket) => SetOption(socket, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1);

    /// <summary>SO_LINGER with a zero timeout: the close that follows resets the connection (RST) instead of a FIN.</summary>
    public static void SetAbortiveClose(SafeHandle socket)
    {
        using var lease = new HandleLease(socket);
        var linger = new Libc.Linger { OnOff = 1, Seconds = 0 };
        if (Libc.SetSockOpt(lease.Fd, Libc.SOL_SOCKET, Libc.SO_LINGER, linger, 8) != 0) throw new SystemCallException("setsockopt(SO_LINGER)", Errno.Last);
    }

    /// <summary>shutdown(2) of the sending half: the peer reads its end of stream (a FIN passed on).</summary>
    public static void ShutdownSend(SafeHandle socket)
    {
        using var lease = new HandleLease(socket);
        if (Libc.Shutdown(lease.Fd, Libc.SHUT_WR) != 0) throw new SystemCallException("shutdown", Errno.Last);
    }

    /// <summary>getsockopt(2) into <paramref name="value"/>: the length the kernel wrote, or -1 when it refused.</summary>
    public static int GetOption(SafeHandle socket, int level, int name, Span<byte> value)
    {
        using var lease = new HandleLease(socket);
        int length = value.Length;
        return Libc.GetSockOpt(lease.Fd, level, name, ref MemoryMarshal.GetReference(value), ref length) == 0 ? length : -1;
    }

    /// <summary>SO_ERROR: the error a non-blocking connect ended with (0 for none, -1 when it cannot be read).</summary>
    public static int PendingError(SafeHandle socket)
    {
        Span<byte> value = stackalloc byte[sizeof(int)];
        return GetOption(socket, Libc.SOL_SOCKET, Libc.SO_ERROR, value) == sizeof(int) ? BitConverter.ToInt32(value) : -1;
    }

    /// <summary>bind(2) to <paramref name="endPoint"/>; throws <see cref="SystemCallException"/> (EADDRINUSE, ...) when it fails.</summary>
    public static void Bind(SafeHandle socket, System.Net.IPEndPoint endPoint)
    {
        Span<byte> sockaddr = stackalloc byte[PeerAddress.MaxSockAddr];
        int length = PeerAddress.Write(endPoint, sockaddr);
        using var lease = new HandleLease(socket);
        if (Libc.Bind(lease.Fd, ref MemoryMarshal.GetReference(sockaddr), length) != 0) throw new SystemCallException("bind", Errno.Last);
    }

    /// <summary>getsockname(2): the socket's own address, or null when it has none (or is closed).</summary>
    public static System.Net.IPAddress? LocalAddress(SafeHandle socket)
    {
        if (!HandleLease.TryLease(socket, out var lease)) return null;
        using (lease)
        {
            Span<byte> sockaddr = stackalloc byte[PeerAddress.MaxSockAddr];
            int length = sockaddr.Length;
            if (Libc.GetSockName(lease.Fd, ref MemoryMarshal.GetReference(sockaddr), ref length) != 0) return null;
            return PeerAddress.TryRead(sockaddr[..length], out var local) ? local.ToEndPoint().Address : null;
        }
    }
}
