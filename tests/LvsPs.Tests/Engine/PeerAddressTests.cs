using System.Net;
using LvsPs.Engine.Loop;
using LvsPs.Scheduling;

namespace LvsPs.Tests.Engine;

/// <summary>The accept path schedules from the raw sockaddr: <see cref="PeerAddress"/> must give the scheduler the same
/// address and port an <see cref="IPEndPoint"/> would, and write back the sockaddr it read.</summary>
public sealed class PeerAddressTests
{
    [Theory]
    [InlineData("192.0.2.7", 80)]
    [InlineData("0.0.0.0", 0)]
    [InlineData("255.255.255.255", 65535)]
    [InlineData("2001:db8::1", 443)]
    [InlineData("::ffff:192.0.2.7", 8080)]
    [InlineData("fe80::1%3", 53)]
    public void The_scheduler_address_equals_the_endpoint_conversion(string address, int port) =>
        Check(new IPEndPoint(IPAddress.Parse(address), port));

    [Fact]
    public void Random_addresses_round_trip_through_the_sockaddr()
    {
        var random = new Random(1234);
        var bytes = new byte[16];
        for (int i = 0; i < 2000; i++)
        {
            bool v6 = (i & 1) == 1;
            random.NextBytes(bytes);
            var address = v6 ? new IPAddress(bytes) : new IPAddress(bytes.AsSpan(0, 4));
            Check(new IPEndPoint(address, random.Next(0, 65536)));
        }
    }

    [Fact]
    public void A_short_or_unknown_sockaddr_is_refused()
    {
        Assert.False(PeerAddress.TryRead(new byte[8], out _));
        var unix = new byte[28];
        BitConverter.TryWriteBytes(unix, (ushort)1); // AF_UNIX
        Assert.False(PeerAddress.TryRead(unix, out _));
        var v6Short = new byte[16];
        BitConverter.TryWriteBytes(v6Short, (ushort)10); // AF_INET6 in a sockaddr_in's room
        Assert.False(PeerAddress.TryRead(v6Short, out _));
    }

    private static void Check(IPEndPoint endPoint)
    {
        var peer = PeerAddress.From(endPoint);
        Assert.Equal(NetAddress.FromIPAddress(endPoint.Address), peer.Address);
        Assert.Equal((ushort)endPoint.Port, peer.Port);
        Assert.Equal(endPoint, peer.ToEndPoint());

        Span<byte> fromEndPoint = stackalloc byte[PeerAddress.MaxSockAddr];
        Span<byte> fromPeer = stackalloc byte[PeerAddress.MaxSockAddr];
        int length = PeerAddress.Write(endPoint, fromEndPoint);
        Assert.Equal(length, peer.Write(fromPeer));
        Assert.True(fromEndPoint[..length].SequenceEqual(fromPeer[..length]));
        Assert.True(PeerAddress.TryRead(fromPeer[..length], out var back));
        Assert.Equal(peer, back);
    }
}
