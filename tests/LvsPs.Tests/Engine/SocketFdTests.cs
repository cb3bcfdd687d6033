using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Loop;
using LvsPs.Interop;

namespace LvsPs.Tests.Engine;

/// <summary>The loop path's owned descriptor: accepted and made without a .NET Socket, non-blocking, closed once, and
/// handed to a .NET Socket only when a connection leaves the loop path.</summary>
public sealed class SocketFdTests
{
    [Fact]
    public void Accepts_without_blocking_and_reads_the_peer_from_the_sockaddr()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        listener.Blocking = false;
        Span<byte> address = stackalloc byte[PeerAddress.MaxSockAddr];
        Assert.Null(SocketFd.Accept(listener.SafeHandle, address, out _)); // nothing queued: no wait

        using var client = SocketFd.Create(AddressFamily.InterNetwork);
        _ = RawSocket.Connect(client, (IPEndPoint)listener.LocalEndPoint!); // non-blocking: true, or false while in progress
        SocketFd? accepted = null;
        for (int i = 0; i < 1000 && accepted is null; i++)
        {
            accepted = SocketFd.Accept(listener.SafeHandle, address, out int length);
            if (accepted is null) { Thread.Sleep(5); continue; }
            Assert.True(PeerAddress.TryRead(address[..length], out var peer));
            Assert.Equal(IPAddress.Loopback, peer.ToEndPoint().Address);
        }
        Assert.NotNull(accepted);
        using (accepted)
        {
            Assert.Equal(0, RawSocket.PendingError(client));
            // both are non-blocking: an empty socket says so (-1) instead of waiting
            Assert.Equal(-1, RawSocket.Receive(accepted, new byte[16]));
            Assert.Equal(5, RawSocket.Send(client, "hello"u8));
            RawSocket.ShutdownSend(client);
            var buffer = new byte[16];
            int n = -1;
            for (int i = 0; i < 1000 && n < 0; i++)
            {
                n = RawSocket.Receive(accepted, buffer);
                if (n < 0) Thread.Sleep(5);
            }
            Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        }
    }

    [Fact]
    public void A_descriptor_handed_to_a_dotnet_socket_is_closed_by_that_socket_only()
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = SocketFd.Create(AddressFamily.InterNetwork);
        var socket = fd.ToSocket();
        fd.Dispose(); // no longer its owner: the descriptor stays open
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)socket.LocalEndPoint!).Address);
        Assert.Throws<ObjectDisposedException>(() => { using var _ = new HandleLease(fd); });
        socket.Dispose();
    }
}
