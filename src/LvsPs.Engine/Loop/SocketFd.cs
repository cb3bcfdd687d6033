using System.Net.Sockets;
using System.Runtime.InteropServices;
using LvsPs.Interop;

namespace LvsPs.Engine.Loop;

/// <summary>
/// A TCP socket's descriptor owned by the engine on the event-loop path: made non-blocking and close-on-exec by the
/// call that made it (accept4(2), socket(2)), closed once when the last user lets go (a <see cref="SafeHandle"/>).
/// Unlike a .NET <see cref="Socket"/>, wrapping an accepted descriptor costs no system call; one is made from it only
/// when a connection leaves the loop path for the asynchronous one (<see cref="ToSocket"/>).
/// </summary>
internal sealed class SocketFd : SafeHandle
{
    private SocketFd(int fd) : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;

    /// <summary>accept4(2) of one queued connection from <paramref name="listener"/>: null when none is queued; the
    /// peer's sockaddr goes to <paramref name="address"/>. Throws as <see cref="RawSocket.Accept"/> does.</summary>
    public static SocketFd? Accept(SafeHandle listener, Span<byte> address, out int addressLength)
    {
        int fd = RawSocket.Accept(listener, address, out addressLength);
        return fd < 0 ? null : new SocketFd(fd);
    }

    /// <summary>A new non-blocking TCP socket of <paramref name="family"/>; throws <see cref="SystemCallException"/> when
    /// the kernel refuses (out of descriptors).</summary>
    public static SocketFd Create(AddressFamily family)
    {
        int domain = family == AddressFamily.InterNetworkV6 ? Libc.AF_INET6 : Libc.AF_INET;
        int fd = Libc.Socket(domain, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) throw new SystemCallException("socket", Errno.Last);
        return new SocketFd(fd);
    }

    /// <summary>
    /// Hands the descriptor to a .NET <see cref="Socket"/>, which owns it from then on (this handle no longer closes it):
    /// for the asynchronous path (an application helper, a preface that reads the client). Throws
    /// <see cref="ObjectDisposedException"/> when it was closed.
    /// </summary>
    public Socket ToSocket()
    {
        int fd;
        using (var lease = new HandleLease(this)) fd = lease.Fd;
        var owner = new SafeSocketHandle(fd, ownsHandle: true);
        Socket socket;
        try
        {
            socket = new Socket(owner);
        }
        catch
        {
            owner.SetHandleAsInvalid(); // still ours: closed once, by this handle
            throw;
        }
        SetHandleAsInvalid(); // the Socket closes it now
        return socket;
    }
}
