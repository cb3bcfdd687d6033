using System.Net;
using LvsPs.Model;
using LvsPs.TestBackends;

namespace LvsPs.KernelTests;

/// <summary>
/// Real traffic through kernel IPVS for what LvsPs configures beyond plain NAT and direct routing (see
/// <see cref="TrafficLab"/>): tunnel real servers (IPIP, GUE, GRE), persistence with its templates, firewall-mark
/// services, IPv6, and quiescing a real server that has established connections.
/// </summary>
[Collection(TrafficLabCollection.Name)]
public sealed class FeatureTrafficTests : IDisposable
{
    private readonly TrafficLab _lab;

    public FeatureTrafficTests(TrafficLab lab) => _lab = lab;

    public void Dispose() => _lab.Kernel.Flush();

    private static RealServerSettings Rs(string address, int port, ForwardingMethod forwarding = ForwardingMethod.Masquerade, int weight = 1) =>
        new() { Id = RealServerId.Create(IPAddress.Parse(address), (ushort)port), Forwarding = forwarding, Weight = weight };

    private VirtualServiceId Add(VirtualServiceSettings service, params RealServerSettings[] servers)
    {
        _lab.Kernel.AddService(service);
        foreach (var rs in servers) _lab.Kernel.AddRealServer(service.Id, rs);
        return service.Id;
    }

    [Theory]
    [InlineData(TunnelType.IpIp)]
    [InlineData(TunnelType.Gue)]
    [InlineData(TunnelType.Gre)]
    public void Tunnel_real_servers_answer_the_vip_with_the_director_out_of_the_reply_path(TunnelType tunnel)
    {
        // without forwarding the director cannot pass a reply on: what reaches the client came from the real server
        _lab.Forwarding(false);
        var id = VirtualServiceId.ForAddress(LvsProtocol.Tcp, IPAddress.Parse(TrafficLab.DirectRoutingVip), TrafficLab.HttpPort);
        try
        {
            Add(new VirtualServiceSettings { Id = id, Scheduler = "rr" },
                TrafficLab.ServerAddresses.Select(a => Rs(a, TrafficLab.HttpPort, ForwardingMethod.Tunnel) with
                {
                    TunnelType = tunnel,
                    TunnelPort = tunnel == TunnelType.Gue ? (ushort)TrafficLab.GuePort : (ushort)0,
                }).ToArray());
            Assert.All(_lab.Kernel.GetService(id)!.RealServers, rs => Assert.Equal(tunnel, rs.Settings.TunnelType));

            var answered = Enumerable.Range(0, 4).Select(_ => _lab.HttpGet(TrafficLab.DirectRoutingVip)).ToList();
            Assert.All(answered, r => Assert.Equal(200, r.Status));
            Assert.Equal(["rs2", "rs1", "rs2", "rs1"], answered.Select(r => r.Backend));
            var service = WaitForConnections(id, 4);
            Assert.Equal(0ul, service.Stats.PacketsOut); // replies went straight from the real servers to the client
        }
        finally
        {
            _lab.Kernel.DeleteService(id);
            _lab.Forwarding(true);
        }
    }

    [Fact]
    public void A_persistent_client_stays_on_its_real_server_and_its_template_is_listed()
    {
        _lab.Forwarding(true);
        var id = Add(new VirtualServiceSettings { Id = VirtualServiceId.Parse($"tcp/{TrafficLab.DirectorAddress}:8080"), Scheduler = "rr", PersistenceTimeout = 300 },
            TrafficLab.ServerAddresses.Select(a => Rs(a, TrafficLab.HttpPort)).ToArray());
        try
        {
            string first = TrafficLab.ClientAddresses[0], second = TrafficLab.ClientAddresses[1];
            var a = Enumerable.Range(0, 3).Select(_ => _lab.HttpGetFrom(first, TrafficLab.DirectorAddress, 8080).Backend).ToList();
            var b = Enumerable.Range(0, 3).Select(_ => _lab.HttpGetFrom(second, TrafficLab.DirectorAddress, 8080).Backend).ToList();
            // rr without persistence would alternate within each client; with it each client keeps one, and rr gives
            // the second client's template the other real server
            Assert.Single(a.Distinct());
            Assert.Single(b.Distinct());
            Assert.NotEqual(a[0], b[0]);

            var all = _lab.Kernel.GetConnections();
            var templates = all.Where(c => c.Template && c.VirtualPort == 8080).ToList();
            Assert.True(templates.Count == 2, $"templates: {templates.Count}; LvsPs read: {string.Join("; ", all)}; ipvsadm -Lnc: {_lab.Director.Ipvsadm("-L", "-n", "-c")}");
            Assert.Equal([first, second], templates.Select(t => t.ClientAddress.ToString()).Order());
            Assert.All(templates, t => Assert.True(t.ExpiresSeconds > 0));
            // the template of the first client points at the real server that answered it
            var t1 = templates.Single(t => t.ClientAddress.ToString() == first);
            Assert.Equal(a[0], ServerName(t1.DestinationAddress.ToString()));
            Assert.Contains($"{first}:0", _lab.Director.Ipvsadm("-L", "-n", "-c"));
        }
        finally
        {
            _lab.Kernel.DeleteService(id);
        }
    }

    /// <summary>
    /// The service once the kernel reports <paramref name="connections"/>: kernel 6.1 folds its per-CPU counters into
    /// what it reports every 2 s (estimation_timer in ip_vs_est.c), so a count read right after the traffic may lag.
    /// </summary>
    private VirtualService WaitForConnections(VirtualServiceId id, ulong connections)
    {
        VirtualService service = _lab.Kernel.GetService(id)!;
        for (int i = 0; i < 40 && service.Stats.Connections != connections; i++)
        {
            Thread.Sleep(250);
            service = _lab.Kernel.GetService(id)!;
        }
        Assert.Equal(connections, service.Stats.Connections);
        return service;
    }

    private static string ServerName(string address) => "rs" + (Array.IndexOf(TrafficLab.ServerAddresses, address) + 1);

    [Fact]
    public void A_firewall_mark_service_takes_the_marked_traffic()
    {
        _lab.Forwarding(true);
        // nftables marks the client's packets to port 8090 with 7 before IPVS sees them (LOCAL_IN)
        _lab.Director.ExecInput(
            "table ip lvsps {\n  chain pre {\n    type filter hook prerouting priority mangle;\n" +
            $"    ip daddr {TrafficLab.DirectorAddress} tcp dport 8090 meta mark set 7\n  }}\n}}\n", "nft", "-f", "-");
        var id = Add(new VirtualServiceSettings { Id = VirtualServiceId.Parse("fwm/7"), Scheduler = "rr" },
            TrafficLab.ServerAddresses.Select(a => Rs(a, TrafficLab.HttpPort)).ToArray());
        try
        {
            var answered = Enumerable.Range(0, 4).Select(_ => _lab.HttpGet(TrafficLab.DirectorAddress, 8090).Backend).ToList();
            Assert.Equal(["rs2", "rs1", "rs2", "rs1"], answered);
            WaitForConnections(id, 4);
        }
        finally
        {
            _lab.Kernel.DeleteService(id);
            _lab.Director.TryExec("nft", "delete", "table", "ip", "lvsps");
        }
    }

    [Fact]
    public void An_ipv6_nat_service_alternates_real_servers()
    {
        _lab.Forwarding6(true);
        var id = Add(new VirtualServiceSettings { Id = VirtualServiceId.Parse($"tcp/[{TrafficLab.DirectorAddress6}]:80"), Scheduler = "rr" },
            TrafficLab.ServerAddresses6.Select(a => Rs(a, TrafficLab.HttpPort)).ToArray());
        try
        {
            List<HttpProbeResult> answered;
            try
            {
                answered = Enumerable.Range(0, 4).Select(_ => _lab.HttpGet(TrafficLab.DirectorAddress6)).ToList();
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new InvalidOperationException($"{e.Message}; director: {_lab.Director.Ipvsadm("-L", "-n", "-c")} {_lab.Director.Exec("ip", "-6", "neigh")} " +
                    $"{_lab.Director.Exec("ip", "-6", "addr")}; rs1: {_lab.Servers[0].Exec("ip", "-6", "route")} {_lab.Servers[0].Exec("ip", "-6", "neigh")}; " +
                    $"client: {_lab.Client.Exec("ip", "-6", "neigh")} {_lab.Client.Exec("ip", "-6", "route")}", e);
            }
            Assert.All(answered, r => Assert.Equal(200, r.Status));
            Assert.Equal(["rs2", "rs1", "rs2", "rs1"], answered.Select(r => r.Backend));
            var service = WaitForConnections(id, 4);
            Assert.True(service.Stats.PacketsOut > 0, "NAT replies pass the director");
            Assert.All(_lab.Kernel.GetConnections().Where(c => c.VirtualPort == 80 && c.VirtualAddress == IPAddress.Parse(TrafficLab.DirectorAddress6).ToString()),
                c => Assert.Equal(IPAddress.Parse(TrafficLab.ClientAddress6).ToString(), c.ClientAddress));
        }
        finally
        {
            _lab.Kernel.DeleteService(id);
        }
    }

    [Fact]
    public void Weight_0_quiesces_a_real_server_and_keeps_its_established_connections()
    {
        _lab.Forwarding(true);
        int port = TrafficLab.NamedPorts[0];
        var to = new IPEndPoint(IPAddress.Parse(TrafficLab.DirectorAddress), 8181);
        var id = Add(new VirtualServiceSettings { Id = VirtualServiceId.ForAddress(LvsProtocol.Tcp, to.Address, 8181), Scheduler = "rr" },
            TrafficLab.ServerAddresses.Select(a => Rs(a, port)).ToArray());
        var open = new List<NamedConnection>();
        try
        {
            open.Add(_lab.Open(to));
            open.Add(_lab.Open(to));
            string quiesced = $"{TrafficLab.ServerAddresses[0]}:{port}", other = $"{TrafficLab.ServerAddresses[1]}:{port}";
            Assert.Equal([other, quiesced], open.Select(c => c.Backend));

            _lab.Kernel.EditRealServer(id, Rs(TrafficLab.ServerAddresses[0], port, weight: 0));
            for (int i = 0; i < 4; i++) open.Add(_lab.Open(to));
            Assert.All(open.Skip(2), c => Assert.Equal(other, c.Backend));
            // the connection to the quiesced server still carries data both ways, and is still counted as active
            Assert.Equal("still there", open[1].Echo("still there"));
            var rs = _lab.Kernel.GetService(id)!.RealServers.Single(r => r.Id.ToString() == quiesced);
            Assert.Equal((0, 1), (rs.Weight, rs.ActiveConnections));
        }
        finally
        {
            foreach (var c in open) c.Dispose();
            _lab.Kernel.DeleteService(id);
        }
    }
}
