using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LvsPs.Interop;

namespace LvsPs.Tests.Interop;

/// <summary>The errno table names each error and maps it to the <see cref="SocketError"/> .NET's own sockets report for
/// the same failure; the lease keeps a descriptor open while a call uses it.</summary>
public sealed class ErrnoTests
{
    [Fact]
    public void Every_errno_in_the_table_has_its_name_and_a_message()
    {
        var names = Errno.Known.Select(Errno.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(Errno.Known, e => Assert.StartsWith("E", Errno.Name(e)));
        Assert.Equal("ECONNREFUSED", Errno.Name(Errno.ECONNREFUSED));
        Assert.Equal("errno 4095", Errno.Name(4095));
        Assert.StartsWith("EAGAIN (errno 11, ", Errno.Describe(Errno.EAGAIN));
        Assert.Equal(SocketError.Success, Errno.ToSocketError(0));
        Assert.Equal(SocketError.SocketError, Errno.ToSocketError(4095));
    }

    [Fact]
    public void A_refused_connect_maps_to_what_dotnet_reports()
    {
        if (!OperatingSystem.IsLinux()) return;
        int port = ClosedPort();
        var dotnet = Assert.Throws<SocketException>(() =>
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(IPAddress.Loopback, port);
        });
        int errno = RawConnect(port);
        Assert.Equal(Errno.ECONNREFUSED, errno);
        Assert.Equal(dotnet.SocketErrorCode, Errno.ToSocketError(errno));
        var e = new SystemCallException("connect", errno);
        Assert.Equal(SocketError.ConnectionRefused, e.SocketError);
        Assert.StartsWith("connect failed: ECONNREFUSED (errno 111, ", e.Message);
    }

    [Fact]
    public void A_bind_to_a_taken_port_maps_to_what_dotnet_reports()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen(1);
        var endPoint = (IPEndPoint)taken.LocalEndPoint!;
        var dotnet = Assert.Throws<SocketException>(() =>
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(endPoint);
        });
        int fd = Libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        Assert.True(fd >= 0);
        try
        {
            Span<byte> sockaddr = SockAddrIn(endPoint.Port);
            Assert.Equal(-1, Libc.Bind(fd, ref MemoryMarshal.GetReference(sockaddr), sockaddr.Length));
            int errno = Errno.Last;
            Assert.Equal(Errno.EADDRINUSE, errno);
            Assert.Equal(dotnet.SocketErrorCode, Errno.ToSocketError(errno));
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    [Fact]
    public void A_lease_keeps_the_descriptor_open_until_it_is_released()
    {
        if (!OperatingSystem.IsLinux()) return;
        // a handle that closes as SafeHandles do: at the last release (a .NET Socket's own close waits for its users)
        var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(Libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0), ownsHandle: true);
        Assert.False(handle.IsInvalid);
        using (var lease = new HandleLease(handle))
        {
            handle.Dispose(); // the close waits for the lease
            Assert.False(handle.IsClosed);
            Span<byte> value = stackalloc byte[4];
            int length = 4;
            Assert.Equal(0, Libc.GetSockOpt(lease.Fd, Libc.SOL_SOCKET, Libc.SO_ERROR, ref MemoryMarshal.GetReference(value), ref length));
        }
        Assert.True(handle.IsClosed);
        Assert.False(HandleLease.TryLease(handle, out _));
        Assert.Throws<ObjectDisposedException>(() => { using var _ = new HandleLease(handle); });
    }

    private static byte[] SockAddrIn(int port)
    {
        var sockaddr = new byte[16];
        BitConverter.TryWriteBytes(sockaddr, (ushort)Libc.AF_INET); // sa_family in host order
        sockaddr[2] = (byte)(port >> 8);
        sockaddr[3] = (byte)port;
        IPAddress.Loopback.TryWriteBytes(sockaddr.AsSpan(4, 4), out _);
        return sockaddr;
    }

    private static int RawConnect(int port)
    {
        int fd = Libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        Assert.True(fd >= 0);
        try
        {
            var sockaddr = SockAddrIn(port);
            Assert.Equal(-1, Libc.Connect(fd, ref sockaddr[0], sockaddr.Length));
            return Errno.Last;
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    /// <summary>A loopback port nothing listens on: bound and closed again at once.</summary>
    private static int ClosedPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
