using LvsPs.Interop;
using LvsPs.Netlink.Protocol;

namespace LvsPs.Netlink.Transport;

/// <summary>
/// A raw AF_NETLINK socket. It belongs to the network namespace of the thread that created it, for its whole life.
/// Receives time out (SO_RCVTIMEO) so that a kernel that never answers cannot hang a caller.
/// </summary>
public sealed class NetlinkSocket : IDisposable
{
    private int _fd;

    public NetlinkSocket(int protocol, TimeSpan receiveTimeout)
    {
        _fd = Libc.Socket(NetlinkConstants.AfNetlink, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (_fd < 0) throw Failure("socket(AF_NETLINK)");
        try
        {
            int big = 4 << 20;
            // many ACKs of a batch wait in the receive queue: a large buffer (the FORCE variant needs CAP_NET_ADMIN)
            if (Libc.SetSockOpt(_fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, big, sizeof(int)) != 0) Libc.SetSockOpt(_fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, big, sizeof(int));
            if (Libc.SetSockOpt(_fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, big, sizeof(int)) != 0) Libc.SetSockOpt(_fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, big, sizeof(int));
            // error ACKs carry only the request's header, not its payload (NETLINK_CAP_ACK)
            Libc.SetSockOpt(_fd, NetlinkConstants.SolNetlink, NetlinkConstants.OptionCapAck, 1, sizeof(int));
            var tv = new Libc.Timeval { Seconds = (long)receiveTimeout.TotalSeconds, Microseconds = receiveTimeout.Milliseconds * 1000L };
            if (Libc.SetSockOpt(_fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, System.Runtime.InteropServices.Marshal.SizeOf<Libc.Timeval>()) != 0) throw Failure("setsockopt(SO_RCVTIMEO)");
            var local = new Libc.SockaddrNl { Family = NetlinkConstants.AfNetlink };
            if (Libc.Bind(_fd, local, System.Runtime.InteropServices.Marshal.SizeOf<Libc.SockaddrNl>()) != 0) throw Failure("bind(AF_NETLINK)");
            int len = System.Runtime.InteropServices.Marshal.SizeOf<Libc.SockaddrNl>();
            if (Libc.GetSockName(_fd, out var bound, ref len) != 0) throw Failure("getsockname");
            PortId = bound.PortId;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The port id the kernel assigned to this socket (nl_pid).</summary>
    public uint PortId { get; }

    /// <summary>Sends one buffer (one or more whole messages) to the kernel.</summary>
    public unsafe void Send(ReadOnlySpan<byte> data)
    {
        var kernel = new Libc.SockaddrNl { Family = NetlinkConstants.AfNetlink };
        fixed (byte* p = data)
        {
            while (true)
            {
                nint n = Libc.SendTo(Fd, p, data.Length, 0, kernel, System.Runtime.InteropServices.Marshal.SizeOf<Libc.SockaddrNl>());
                if (n >= 0)
                {
                    if (n != data.Length) throw new NetlinkException(Errno.EINVAL, $"sendto sent {n} of {data.Length} bytes.");
                    return;
                }
                if (Errno.Last != Errno.EINTR) throw Failure("sendto");
            }
        }
    }

    /// <summary>Receives one datagram; throws when it did not fit in <paramref name="buffer"/> or the wait timed out.</summary>
    public unsafe int Receive(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Libc.Recv(Fd, p, buffer.Length, Libc.MSG_TRUNC);
                if (n >= 0)
                {
                    if (n > buffer.Length) throw new NetlinkException(Errno.ENOBUFS, $"A netlink reply of {n} bytes did not fit the {buffer.Length}-byte receive buffer.");
                    return (int)n;
                }
                int e = Errno.Last;
                if (e == Errno.EINTR) continue;
                if (e == Errno.EAGAIN) throw new NetlinkException(e, "The kernel did not answer a netlink request in time.");
                throw Failure("recv");
            }
        }
    }

    private int Fd => _fd >= 0 ? _fd : throw new ObjectDisposedException(nameof(NetlinkSocket));

    private static NetlinkException Failure(string call)
    {
        int e = Errno.Last;
        return new NetlinkException(e, $"{call} failed: {Errno.Describe(e)}.");
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) Libc.Close(fd);
    }
}
