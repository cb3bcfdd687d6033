using System.Runtime.InteropServices;

namespace LvsPs.Interop;

/// <summary>Socket system calls (socket(2), bind(2), connect(2), accept4(2), recv(2), send(2), ...; sys/socket.h) and
/// their flags. Each returns -1 and leaves the errno in <see cref="Errno.Last"/> on failure.</summary>
internal static unsafe partial class Libc
{
    // linux/socket.h, asm-generic/socket.h, linux/net.h
    public const int AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16;
    public const int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_LINGER = 13, SO_PEERCRED = 17,
        SO_RCVTIMEO = 20, SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33;
    public const int MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    public const int SCM_RIGHTS = 1, MSG_CTRUNC = 0x8;
    public const int SHUT_WR = 1;

    // linux/in.h, linux/in6.h, linux/tcp.h
    public const int IPPROTO_TCP = 6, IPPROTO_UDP = 17;
    public const int SOL_IP = 0, IP_FREEBIND = 15, IP_TRANSPARENT = 19;
    public const int SOL_IPV6 = 41, IPV6_V6ONLY = 26, IPV6_TRANSPARENT = 75, IPV6_FREEBIND = 78;
    public const int TCP_NODELAY = 1, TCP_INFO = 11;

    /// <summary>struct sockaddr_nl (linux/netlink.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint PortId;
        public uint Groups;
    }

    /// <summary>struct timeval on LP64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }

    /// <summary>struct linger (sys/socket.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Linger
    {
        public int OnOff;
        public int Seconds;
    }

    /// <summary>struct iovec (sys/uio.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr (sys/socket.h) on LP64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, in SockaddrNl address, int length);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, ref byte address, int length);

    [LibraryImport("libc", EntryPoint = "getsockname", SetLastError = true)]
    public static partial int GetSockName(int fd, out SockaddrNl address, ref int length);

    [LibraryImport("libc", EntryPoint = "getsockname", SetLastError = true)]
    public static partial int GetSockName(int fd, ref byte address, ref int length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, in int value, int length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, in Timeval value, int length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, in Linger value, int length);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int fd, int level, int name, ref byte value, ref int length);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, ref byte address, int length);

    [LibraryImport("libc", EntryPoint = "accept4", SetLastError = true)]
    public static partial int Accept4(int fd, ref byte address, ref int addressLength, int flags);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    public static partial int Shutdown(int fd, int how);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, ref byte buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, ref byte buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    public static partial nint RecvFrom(int fd, ref byte buffer, nuint length, int flags, ref byte address, ref int addressLength);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, ref byte buffer, nuint length, int flags, ref byte address, int addressLength);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, byte* buffer, nint length, int flags, in SockaddrNl address, int addressLength);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint SendMsg(nint fd, MsgHdr* message, int flags);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint RecvMsg(nint fd, MsgHdr* message, int flags);
}
