using System.Net;
using System.Net.Sockets;
using System.Text;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Engine;

/// <summary>Real traffic through the managed director on loopback: each test uses its own VIP (<see cref="TestAddresses"/>).</summary>
public sealed class ManagedDirectorTests : IDisposable
{
    private ManagedDirector _director = new(new ManagedDirectorOptions { RunEstimator = false });

    /// <summary>Runs this test's traffic on <paramref name="path"/> (<see cref="RelayPaths"/>): the relay tests are theories
    /// over the splice path and the BPF sockmap fast path, with the same assertions.</summary>
    private void Use(string path)
    {
        _director.Dispose();
        _director = RelayPaths.NewDirector(path);
    }
    private readonly List<IDisposable> _backends = new();
    private readonly string _vip = TestAddresses.NewVip();

    public void Dispose()
    {
        _director.Dispose();
        foreach (var b in _backends) b.Dispose();
    }

    private T Keep<T>(T backend) where T : IDisposable
    {
        _backends.Add(backend);
        return backend;
    }

    private static int FreePort() => TestAddresses.NewPort();

    private VirtualServiceId TcpService(string scheduler, params HttpBackend[] backends)
    {
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = scheduler });
        foreach (var b in backends) _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(b.EndPoint.Address, (ushort)b.Port) });
        return id;
    }

    /// <summary>An rr service on this test's VIP with one real server, loopback:<paramref name="port"/>.</summary>
    private VirtualServiceId ServiceTo(int port)
    {
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)port) });
        return id;
    }

    /// <summary>A bare listener as the real server (the test drives the socket it accepts by hand), and its service.</summary>
    private (VirtualServiceId Id, Socket Listener) ServiceToListener()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        return (ServiceTo(((IPEndPoint)listener.LocalEndPoint!).Port), listener);
    }

    [Theory]
    [InlineData(RelayPaths.Splice)]
    [SockmapData]
    public void Round_robin_alternates_real_requests_and_counts_them(string path)
    {
        Use(path);
        var a = Keep(HttpBackend.Start("a"));
        var b = Keep(HttpBackend.Start("b"));
        var id = TcpService("rr", a, b); // list: b, a
        var answers = Enumerable.Range(0, 6).Select(_ => LoopbackClient.HttpGet(_vip, id.Port)).ToList();
        Assert.Equal(new[] { "b", "a", "b", "a", "b", "a" }, answers.Select(r => r.Backend));

        // the client has its answer before the director has seen both FINs: wait for every entry to reach TIME_WAIT
        Poll.Until(() => _director.GetConnections() is { Count: 6 } all && all.All(c => c.State == "TIME_WAIT"), "connections to close");
        _director.TickEstimator(); // samples nothing live; counts were taken at close
        var service = _director.GetService(id)!;
        Assert.Equal(6ul, service.Stats.Connections);
        Assert.Equal((ulong)answers.Sum(r => r.BytesSent), service.Stats.BytesIn);
        Assert.Equal((ulong)answers.Sum(r => r.BytesReceived), service.Stats.BytesOut);
        Assert.True(service.Stats.PacketsIn >= 6 * 3, $"at least SYN, request and FIN/ACK per connection, got {service.Stats.PacketsIn}");
        Assert.True(service.Stats.PacketsOut >= 6 * 2, $"got {service.Stats.PacketsOut}");
        Assert.All(service.RealServers, r => Assert.Equal(3ul, r.Stats.Connections));
        // closed connections stay as inactive TIME_WAIT entries, as in IPVS
        Assert.Equal(6, service.InactiveConnections);
        Assert.All(_director.GetConnections(), c => Assert.Equal("TIME_WAIT", c.State));
    }

    [Fact]
    public void Time_wait_entries_leave_the_counters_when_their_two_minutes_are_up()
    {
        var a = Keep(HttpBackend.Start("a"));
        var b = Keep(HttpBackend.Start("b"));
        var id = TcpService("rr", a, b);
        for (int i = 0; i < 4; i++) LoopbackClient.HttpGet(_vip, id.Port);
        Poll.Until(() => _director.GetConnections().Count(c => c.State == "TIME_WAIT") == 4, "four TIME_WAIT entries");
        Assert.All(_director.GetConnections(), c => Assert.InRange(c.ExpiresSeconds, 100u, 120u));
        Assert.Equal(4, _director.GetService(id)!.InactiveConnections);
        Assert.Equal(4, _director.GetInfo().ConnectionCount);

        _director.Connections.Sweep(Environment.TickCount64 + 60_000); // a minute on: still there
        Assert.Equal(4, _director.GetService(id)!.InactiveConnections);

        _director.Connections.Sweep(Environment.TickCount64 + 121_000); // past IPVS's 2 minutes
        Assert.Empty(_director.GetConnections());
        var service = _director.GetService(id)!;
        Assert.All(service.RealServers, r => Assert.Equal(0, r.InactiveConnections));
        Assert.Equal(4ul, service.Stats.Connections);
        Assert.Equal(0, _director.GetInfo().ConnectionCount);
    }

    [Theory]
    [InlineData(RelayPaths.Splice)]
    [SockmapData]
    public void Bulk_bytes_are_counted_exactly(string path)
    {
        Use(path);
        var a = Keep(HttpBackend.Start("a"));
        var id = TcpService("rr", a);
        var r = LoopbackClient.HttpGet(_vip, id.Port, "/bytes/3000000");
        Assert.Equal(3_000_000, r.BodyLength);
        Poll.Until(() => _director.GetService(id)!.Stats.BytesOut == (ulong)r.BytesReceived, "byte count");
    }

    [Theory]
    [InlineData(RelayPaths.Splice)]
    [SockmapData]
    public async Task A_reader_that_pauses_gets_everything_when_the_sender_stalled_on_a_full_window(string path)
    {
        Use(path);
        // the real server fills every buffer on the way and stops; nothing new arrives to announce what is left, so the
        // relay must resume by itself once the client reads again (a lost wake-up here stalls the transfer for good)
        var (id, backendListener) = ServiceToListener();
        using var _ = backendListener;

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        LoopbackClient.Connect(client, new IPEndPoint(IPAddress.Parse(_vip), id.Port));
        using var server = backendListener.Accept();
        const int total = 16 * 1024 * 1024;
        var sending = Task.Run(() =>
        {
            var chunk = new byte[1 << 20];
            for (int sent = 0; sent < total; sent += chunk.Length) server.Send(chunk);
            server.Shutdown(SocketShutdown.Send);
        });
        await Task.Delay(500); // the client does not read: the window and the director's buffers fill, the sender blocks
        var buffer = new byte[1 << 16];
        long received = 0;
        int n;
        while ((n = client.Receive(buffer)) > 0) received += n;
        Assert.Equal(total, received);
        await sending.WaitAsync(TimeSpan.FromSeconds(5));
        Poll.Until(() => _director.GetService(id)!.Stats.BytesOut == total, "byte count");
    }

    [Theory]
    [InlineData(RelayPaths.Splice)]
    [SockmapData]
    public void Half_close_keeps_the_other_direction_open_and_counts_active_then_inactive(string path)
    {
        Use(path);
        var (id, backendListener) = ServiceToListener();
        using var _ = backendListener;

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        LoopbackClient.Connect(client, new IPEndPoint(IPAddress.Parse(_vip), id.Port));
        using var server = backendListener.Accept();
        server.ReceiveTimeout = 5000;
        Poll.Until(() => _director.GetService(id)!.ActiveConnections == 1, "active connection");

        client.Send(Encoding.ASCII.GetBytes("request"));
        client.Shutdown(SocketShutdown.Send); // client half-closes
        var buf = new byte[100];
        Assert.Equal("request", Encoding.ASCII.GetString(buf, 0, server.Receive(buf)));
        Assert.Equal(0, server.Receive(buf)); // the FIN reached the real server
        Poll.Until(() => _director.GetService(id)!.InactiveConnections == 1, "inactive after FIN");
        Assert.Equal("FIN_WAIT", _director.GetConnections().Single().State);

        server.Send(Encoding.ASCII.GetBytes("late reply")); // the other direction still works
        Assert.Equal("late reply", Encoding.ASCII.GetString(buf, 0, client.Receive(buf)));
        server.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, client.Receive(buf));
        Poll.Until(() => _director.GetConnections().Single().State == "TIME_WAIT", "time wait");
    }

    [Theory]
    [InlineData(RelayPaths.Splice)]
    [SockmapData]
    public void A_reset_from_the_client_resets_the_real_server_and_closes_the_entry(string path)
    {
        Use(path);
        var (id, backendListener) = ServiceToListener();
        using var _ = backendListener;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        client.Connect(IPAddress.Parse(_vip), id.Port);
        using var server = backendListener.Accept();
        server.ReceiveTimeout = 5000;
        client.Send(Encoding.ASCII.GetBytes("hello"));
        var buf = new byte[100];
        Assert.Equal("hello", Encoding.ASCII.GetString(buf, 0, server.Receive(buf)));

        client.LingerState = new LingerOption(true, 0);
        client.Close(); // RST
        try
        {
            Assert.Equal(0, server.Receive(buf)); // the director aborts its side: a reset (or, at worst, an end)
        }
        catch (SocketException e)
        {
            Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        }
        Poll.Until(() => _director.GetConnections().SingleOrDefault()?.State == "CLOSE", "the entry to close");
        Assert.Equal(0, _director.GetService(id)!.ActiveConnections);
        Assert.Equal(5ul, _director.GetService(id)!.Stats.BytesIn);
    }

    [Theory]
    [InlineData(RelayPaths.Splice)]
    [SockmapData]
    public async Task Bulk_echo_comes_back_whole_and_is_counted_both_ways(string path)
    {
        Use(path);
        var echo = Keep(TcpEchoBackend.Start());
        var id = ServiceTo(echo.Port);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10000 };
        client.Connect(IPAddress.Parse(_vip), id.Port);
        const int total = 8 * 1024 * 1024;
        var data = new byte[total];
        new Random(17).NextBytes(data);
        var sending = Task.Run(() =>
        {
            client.Send(data);
            client.Shutdown(SocketShutdown.Send);
        });
        var back = new byte[total];
        int received = 0, n;
        while (received < total && (n = client.Receive(back, received, total - received, SocketFlags.None)) > 0) received += n;
        await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(total, received);
        Assert.True(data.AsSpan().SequenceEqual(back), "the echo differs from what was sent");
        Poll.Until(() => _director.GetService(id)!.Stats is { BytesIn: total, BytesOut: total }, "byte counts");
    }

    [Fact]
    public void Weight_zero_quiesces_and_removal_lets_established_connections_finish()
    {
        using var backendListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        backendListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        backendListener.Listen(4);
        var other = Keep(HttpBackend.Start("other"));
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        var rsId = RealServerId.Create(IPAddress.Loopback, (ushort)((IPEndPoint)backendListener.LocalEndPoint!).Port);
        _director.AddRealServer(id, new RealServerSettings { Id = rsId });

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        LoopbackClient.Connect(client, new IPEndPoint(IPAddress.Parse(_vip), id.Port));
        using var server = backendListener.Accept();
        server.ReceiveTimeout = 5000;

        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(other.EndPoint.Address, (ushort)other.Port) });
        _director.EditRealServer(id, new RealServerSettings { Id = rsId, Weight = 0 });
        Assert.All(Enumerable.Range(0, 3), _ => Assert.Equal("other", LoopbackClient.HttpGet(_vip, id.Port).Backend));

        _director.DeleteRealServer(id, rsId);
        client.Send(Encoding.ASCII.GetBytes("still here"));
        var buf = new byte[100];
        Assert.Equal("still here", Encoding.ASCII.GetString(buf, 0, server.Receive(buf)));
        server.Send(Encoding.ASCII.GetBytes("ok"));
        Assert.Equal("ok", Encoding.ASCII.GetString(buf, 0, client.Receive(buf)));
    }

    [Fact]
    public void A_real_server_removed_and_added_again_keeps_its_counters_and_open_connections_as_the_kernel_does()
    {
        var (id, listener) = ServiceToListener();
        using var _ = listener;
        var rsId = RealServerId.Create(IPAddress.Loopback, (ushort)((IPEndPoint)listener.LocalEndPoint!).Port);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000, SendTimeout = 5000 };
        LoopbackClient.Connect(client, new IPEndPoint(IPAddress.Parse(_vip), id.Port));
        using var server = listener.Accept();
        server.ReceiveTimeout = 5000;
        client.Send(Encoding.ASCII.GetBytes("hello"));
        var buf = new byte[100];
        Assert.Equal("hello", Encoding.ASCII.GetString(buf, 0, server.Receive(buf)));
        Poll.Until(() => _director.GetService(id)!.RealServers[0].Stats.BytesIn == 5, "the first bytes to be counted");

        _director.DeleteRealServer(id, rsId);
        _director.AddRealServer(id, new RealServerSettings { Id = rsId, Weight = 2 }); // ip_vs_trash_get_dest: the same one
        var back = _director.GetService(id)!.RealServers.Single();
        Assert.Equal(2, back.Weight);
        Assert.Equal(1, back.ActiveConnections); // the open connection still counts against it
        Assert.Equal(1ul, back.Stats.Connections);
        Assert.Equal(5ul, back.Stats.BytesIn);

        client.Send(Encoding.ASCII.GetBytes("again")); // and its bytes still land on it
        Assert.Equal("again", Encoding.ASCII.GetString(buf, 0, server.Receive(buf)));
        Poll.Until(() => _director.GetService(id)!.RealServers[0].Stats.BytesIn == 10, "the later bytes to be counted on the same real server");
    }

    [Fact]
    public void A_real_server_that_refuses_gets_the_client_reset_and_the_entry_closed()
    {
        var id = ServiceTo(FreePort()); // nothing listens there
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        LoopbackClient.Connect(client, new IPEndPoint(IPAddress.Parse(_vip), id.Port)); // the director accepts, then its connect is refused
        try
        {
            Assert.Equal(0, client.Receive(new byte[1]));
        }
        catch (SocketException e)
        {
            Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        }
        Poll.Until(() => _director.GetConnections().SingleOrDefault()?.State == "CLOSE", "the entry to close");
        var rs = _director.GetService(id)!.RealServers.Single();
        Assert.Equal(0, rs.ActiveConnections);
        Assert.Equal(1, rs.InactiveConnections); // CLOSE stays for 10 s, as in IPVS
        Assert.Equal(1ul, rs.Stats.Connections);
    }

    [Fact]
    public void Udp_flows_are_relayed_both_ways_and_counted_as_inactive()
    {
        var a = Keep(UdpEchoBackend.Start("a"));
        var b = Keep(UdpEchoBackend.Start("b"));
        var id = VirtualServiceId.Parse($"udp/{_vip}:{FreePort()}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)a.Port) });
        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)b.Port) });

        var replies = Enumerable.Range(0, 4).Select(i => LoopbackClient.UdpRequest(_vip, id.Port, "ping" + i)).ToList();
        Assert.Equal(new[] { "b:ping0", "a:ping1", "b:ping2", "a:ping3" }, replies);
        var service = _director.GetService(id)!;
        Assert.Equal(4ul, service.Stats.Connections);
        Assert.Equal(4ul, service.Stats.PacketsIn);
        Assert.Equal(4ul, service.Stats.PacketsOut);
        Assert.Equal(4ul * 5, service.Stats.BytesIn);
        Assert.Equal(4ul * 7, service.Stats.BytesOut);
        Assert.Equal(4, service.InactiveConnections);
        Assert.Equal(0, service.ActiveConnections);
    }

    [Fact]
    public void Idle_udp_flows_expire_by_the_udp_timeout()
    {
        var a = Keep(UdpEchoBackend.Start("a"));
        var id = VirtualServiceId.Parse($"udp/{_vip}:{FreePort()}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)a.Port) });
        _director.SetTimeouts(new LvsTimeouts(0, 0, 1));
        Assert.Equal("a:x", LoopbackClient.UdpRequest(_vip, id.Port, "x"));
        Assert.Single(_director.GetConnections());
        Poll.Until(() => _director.GetConnections().Count == 0, "udp flow expiry");
        Assert.Equal(0, _director.GetService(id)!.InactiveConnections);
    }

    [Theory]
    [InlineData(RelayPaths.Splice)]
    [SockmapData]
    public void Idle_established_tcp_connections_expire_by_the_tcp_timeout(string path)
    {
        Use(path);
        var (id, backendListener) = ServiceToListener();
        using var _ = backendListener;
        _director.SetTimeouts(new LvsTimeouts(1, 0, 0));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10000 };
        LoopbackClient.Connect(client, new IPEndPoint(IPAddress.Parse(_vip), id.Port));
        using var server = backendListener.Accept();
        // the director resets the idle connection: the client sees a reset, well before its own 10 s receive timeout
        var end = Assert.Throws<SocketException>(() => client.Receive(new byte[1]));
        Assert.Equal(SocketError.ConnectionReset, end.SocketErrorCode);
        Poll.Until(() => _director.GetService(id)!.ActiveConnections == 0, "active count to drop");
    }

    [Fact]
    public void IPv6_service_forwards()
    {
        var a = Keep(HttpBackend.Start("v6", "::1"));
        var id = VirtualServiceId.Parse($"tcp/[::1]:{FreePort()}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "wrr" });
        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.IPv6Loopback, (ushort)a.Port) });
        Assert.Equal("v6", LoopbackClient.HttpGet("::1", id.Port).Backend);
    }

    [Fact]
    public void Failed_changes_leave_the_director_as_it_was()
    {
        var a = Keep(HttpBackend.Start("a"));
        var id = TcpService("rr", a);
        var before = IpvsadmText.FullListing(_director.GetInfo(), _director.GetServices());

        Assert.Equal("VirtualServiceExists", Assert.Throws<LvsException>(() => _director.AddService(new VirtualServiceSettings { Id = id })).ErrorId);
        Assert.Equal("RealServerExists", Assert.Throws<LvsException>(() => _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)a.Port) })).ErrorId);
        var dr = Assert.Throws<LvsException>(() => _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse("127.0.0.9"), 80), Forwarding = ForwardingMethod.DirectRoute }));
        Assert.Equal("ForwardingNeedsKernel", dr.ErrorId);
        Assert.Contains("kernel backend", dr.Message);
        Assert.Equal("UnknownScheduler", Assert.Throws<LvsException>(() => _director.EditService(new VirtualServiceSettings { Id = id, Scheduler = "nope" })).ErrorId);
        Assert.Equal("FirewallMarkNeedsKernel", Assert.Throws<LvsException>(() => _director.AddService(new VirtualServiceSettings { Id = VirtualServiceId.Parse("fwm/3") })).ErrorId);
        // the port is taken by the first service: binding fails and nothing is registered
        var clash = VirtualServiceId.Parse($"tcp/{_vip}:{a.Port}");
        using (var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            squatter.Bind(new IPEndPoint(IPAddress.Parse(_vip), a.Port));
            squatter.Listen(1);
            Assert.Equal("VirtualAddressInUse", Assert.Throws<LvsException>(() => _director.AddService(new VirtualServiceSettings { Id = clash })).ErrorId);
        }
        Assert.Equal("VirtualAddressNotLocal", Assert.Throws<LvsException>(() => _director.AddService(new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/192.0.2.1:8080") })).ErrorId);

        Assert.Equal(before, IpvsadmText.FullListing(_director.GetInfo(), _director.GetServices()));
    }

    [Fact]
    public void Dispose_releases_every_socket()
    {
        var a = Keep(HttpBackend.Start("a"));
        var id = TcpService("rr", a);
        _director.Dispose();
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Parse(_vip), id.Port)); // would throw if the listener were still bound
        Assert.Equal("DirectorStopped", Assert.Throws<LvsException>(() => _director.GetServices()).ErrorId);
    }

    [Fact]
    public void Listing_reads_like_ipvsadm()
    {
        var a = Keep(HttpBackend.Start("a"));
        var b = Keep(HttpBackend.Start("b"));
        var id = TcpService("rr", a, b);
        var text = IpvsadmText.FullListing(_director.GetInfo(), _director.GetServices());
        var lines = text.Split('\n');
        Assert.Equal("Prot LocalAddress:Port Scheduler Flags", lines[1]);
        Assert.Equal("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn", lines[2]);
        Assert.Equal($"TCP  {_vip}:{id.Port} rr", lines[3]);
        Assert.Equal($"  -> {"127.0.0.1:" + b.Port,-28} Masq    1      0          0         ", lines[4]);
        Assert.Equal($"  -> {"127.0.0.1:" + a.Port,-28} Masq    1      0          0         ", lines[5]);
    }
}
