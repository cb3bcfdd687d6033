using System.Net;
using System.Net.Sockets;
using System.Text;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Engine;

/// <summary>
/// UDP through the managed director on loopback, on both ways of driving its sockets: the engine's own epoll threads
/// (the Linux default) and .NET's asynchronous operations (other systems, or UseEventLoop = false).
/// </summary>
public sealed class UdpForwardingTests
{
    private static string NextVip() => TestAddresses.NewVip();

    private static int FreeUdpPort(string address = "127.0.0.1") => TestAddresses.NewPort();

    private static (ManagedDirector Director, VirtualServiceId Id) Director(bool useEventLoop, string vip, string scheduler, params int[] realServerPorts)
    {
        var director = new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false, UseEventLoop = useEventLoop });
        var id = VirtualServiceId.Parse(vip.Contains(':') ? $"udp/[{vip}]:{FreeUdpPort(vip)}" : $"udp/{vip}:{FreeUdpPort()}");
        director.AddService(new VirtualServiceSettings { Id = id, Scheduler = scheduler });
        var rsAddress = vip.Contains(':') ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        foreach (int port in realServerPorts) director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(rsAddress, (ushort)port) });
        return (director, id);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Many_clients_each_get_their_own_replies_and_every_datagram_is_counted(bool useEventLoop)
    {
        using var a = UdpEchoBackend.Start("a");
        using var b = UdpEchoBackend.Start("b");
        var (director, id) = Director(useEventLoop, NextVip(), "rr", a.Port, b.Port);
        using var _ = director;
        const int clients = 24, requests = 20;
        var failures = new List<string>();
        // a thread per client, not the pool's: clients blocked in Receive would starve the echo backends' continuations
        // Everything a client thread throws (a receive timeout above all) is caught and reported as a failure: an
        // exception escaping a raw thread would crash the test host and lose every result of the project.
        var threads = Enumerable.Range(0, clients).Select(c => new Thread(() =>
        {
            try
            {
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
                s.Connect(new IPEndPoint(id.Address!, id.Port));
                var buffer = new byte[256];
                string? server = null;
                for (int r = 0; r < requests; r++)
                {
                    string message = $"c{c}r{r}";
                    s.Send(Encoding.ASCII.GetBytes(message));
                    string reply = Encoding.ASCII.GetString(buffer, 0, s.Receive(buffer));
                    server ??= reply[..1];
                    // one flow per client: every reply comes from the server its first datagram was scheduled to
                    if (reply != $"{server}:{message}") lock (failures) failures.Add(reply);
                }
            }
            catch (Exception e)
            {
                lock (failures) failures.Add($"client {c}: {e.GetType().Name}: {e.Message}");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60))));
        Assert.Empty(failures);
        var service = director.GetService(id)!;
        Assert.Equal((ulong)clients, service.Stats.Connections);
        Assert.Equal((ulong)(clients * requests), service.Stats.PacketsIn);
        Assert.Equal((ulong)(clients * requests), service.Stats.PacketsOut);
        Assert.Equal(clients, service.InactiveConnections);
        Assert.Equal(clients * requests, a.Datagrams + b.Datagrams);
        Assert.Equal(clients / 2, director.GetConnections().Count(c => c.DestinationPort == a.Port)); // rr split the flows evenly
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Empty_and_largest_datagrams_go_through_whole(bool useEventLoop)
    {
        using var a = UdpEchoBackend.Start("a");
        var (director, id) = Director(useEventLoop, NextVip(), "rr", a.Port);
        using var _ = director;
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        s.Connect(new IPEndPoint(id.Address!, id.Port));
        var buffer = new byte[65535];

        s.Send(Array.Empty<byte>());
        Assert.Equal("a:", Encoding.ASCII.GetString(buffer, 0, s.Receive(buffer)));

        // the echo adds "a:" to what it gets, so the request leaves room for it under the 65,507-byte IPv4 maximum
        var big = new byte[65507 - 2];
        new Random(3).NextBytes(big);
        s.Send(big);
        int n = s.Receive(buffer);
        Assert.Equal(65507, n);
        Assert.True(buffer.AsSpan(2, big.Length).SequenceEqual(big));
        Assert.Equal((ulong)(big.Length), director.GetService(id)!.Stats.BytesIn);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ipv6_flows_reply_from_the_virtual_address(bool useEventLoop)
    {
        using var a = UdpEchoBackend.Start("a", "::1");
        var (director, id) = Director(useEventLoop, "::1", "rr", a.Port);
        using var _ = director;
        using var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        s.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        var buffer = new byte[64];
        EndPoint from = new IPEndPoint(IPAddress.IPv6Any, 0);
        s.SendTo(Encoding.ASCII.GetBytes("six"), new IPEndPoint(id.Address!, id.Port));
        int n = s.ReceiveFrom(buffer, ref from);
        Assert.Equal("a:six", Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, id.Port), from);
        var flow = Assert.Single(director.GetConnections());
        Assert.Equal(((IPEndPoint)s.LocalEndPoint!).Port, flow.ClientPort);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_real_server_that_was_down_is_reached_by_the_same_flow_once_it_is_up(bool useEventLoop)
    {
        int port = FreeUdpPort();
        var (director, id) = Director(useEventLoop, NextVip(), "rr", port);
        using var _ = director;
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 300 };
        s.Connect(new IPEndPoint(id.Address!, id.Port));
        var buffer = new byte[64];
        s.Send("first"u8);
        Assert.Throws<SocketException>(() => s.Receive(buffer)); // nothing listens: the real server's ICMP error ends there
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (director.GetService(id)!.Stats.PacketsIn < 1 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Thread.Sleep(200); // the datagram left for the closed port and its ICMP error is queued on the flow's socket
        s.Send("second"u8); // meets that error (lost, as on the wire) or goes to the closed port too
        Thread.Sleep(100);

        using var late = UdpEchoBackend.Start("late", port: port);
        s.ReceiveTimeout = 1000;
        string? reply = null;
        for (int attempt = 0; attempt < 10 && reply != "late:third"; attempt++)
        {
            s.Send("third"u8);
            try
            {
                // skip an echo of an earlier datagram that was still on its way when the server came up
                do reply = Encoding.ASCII.GetString(buffer, 0, s.Receive(buffer));
                while (reply != "late:third");
            }
            catch (SocketException)
            {
            }
        }
        Assert.Equal("late:third", reply);
        Assert.Single(director.GetConnections()); // still the flow the first datagram opened
    }
}
