using System.Net;
using System.Net.Sockets;
using System.Text;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Engine;

/// <summary>Persistence and one-packet scheduling through real loopback traffic (each test on a VIP of its own from <see cref="TestAddresses"/>).</summary>
public sealed class PersistenceEngineTests : IDisposable
{
    private readonly ManagedDirector _director = new(new ManagedDirectorOptions { RunEstimator = false });
    private readonly List<IDisposable> _backends = new();
    private readonly string _vip = TestAddresses.NewVip();

    public void Dispose()
    {
        _director.Dispose();
        foreach (var b in _backends) b.Dispose();
    }

    private static int FreePort(SocketType type = SocketType.Stream) => TestAddresses.NewPort(); // free for TCP and UDP

    [Fact]
    public void A_persistent_service_sends_every_connection_of_a_client_to_one_server()
    {
        var a = HttpBackend.Start("a");
        var b = HttpBackend.Start("b");
        _backends.Add(a);
        _backends.Add(b);
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr", PersistenceTimeout = 300 });
        foreach (var s in new[] { a, b }) _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(s.EndPoint.Address, (ushort)s.Port) });

        var answers = Enumerable.Range(0, 4).Select(_ => LoopbackClient.HttpGet(_vip, id.Port).Backend).ToList();
        Assert.Equal(new[] { "b", "b", "b", "b" }, answers); // rr alone would alternate b, a
        var service = _director.GetService(id)!;
        Assert.Equal(1, service.RealServers.Single(r => r.Port == b.Port).PersistentConnections);
        Assert.Equal(0, service.RealServers.Single(r => r.Port == a.Port).PersistentConnections);
    }

    [Fact]
    public void One_packet_scheduling_schedules_each_datagram_of_a_flow()
    {
        var a = UdpEchoBackend.Start("a");
        var b = UdpEchoBackend.Start("b");
        _backends.Add(a);
        _backends.Add(b);
        var id = VirtualServiceId.Parse($"udp/{_vip}:{FreePort(SocketType.Dgram)}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr", OnePacket = true });
        foreach (var s in new[] { a, b }) _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(s.EndPoint.Address, (ushort)s.Port) });

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        LoopbackClient.Connect(client, new IPEndPoint(IPAddress.Parse(_vip), id.Port));
        var buffer = new byte[1024];
        var replies = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            client.Send(Encoding.ASCII.GetBytes("q" + i));
            int n = client.Receive(buffer);
            replies.Add(Encoding.ASCII.GetString(buffer, 0, n));
        }
        // one client endpoint, yet each datagram is scheduled: rr over list b, a
        Assert.Equal(new[] { "b:q0", "a:q1", "b:q2", "a:q3" }, replies);
    }
}
