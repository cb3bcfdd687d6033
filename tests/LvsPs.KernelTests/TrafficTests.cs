using System.Net;
using LvsPs.Model;

namespace LvsPs.KernelTests;

/// <summary>
/// Real TCP and UDP traffic through kernel IPVS configured by LvsPs (see <see cref="TrafficLab"/>): NAT and direct
/// routing with round robin, and the counters LvsPs reads back equal to what ipvsadm prints for the same traffic.
/// </summary>
[Collection(TrafficLabCollection.Name)]
public sealed class TrafficTests : IDisposable
{
    private const int Requests = 6;
    private readonly TrafficLab _lab;

    public TrafficTests(TrafficLab lab) => _lab = lab;

    public void Dispose() => _lab.Kernel.Flush();

    [Fact]
    public void Nat_tcp_service_alternates_real_servers_and_counts_like_ipvsadm()
    {
        _lab.Forwarding(true);
        var id = AddRoundRobin(LvsProtocol.Tcp, TrafficLab.DirectorAddress, 80, ForwardingMethod.Masquerade, TrafficLab.HttpPort);

        var answered = new List<string>();
        for (int i = 0; i < Requests; i++)
        {
            var r = _lab.HttpGet(TrafficLab.DirectorAddress, 80);
            Assert.Equal(200, r.Status);
            answered.Add(r.Backend);
        }
        AssertAlternates(answered);

        var service = AssertCountersEqualIpvsadm(id, Requests);
        Assert.All(service.RealServers, rs => Assert.True(rs.Stats.PacketsOut > 0, $"{rs.Id}: the director saw no replies, NAT needs it to"));
        AssertConnectionsEqualIpvsadm(id, Requests);
    }

    [Fact]
    public void Direct_routing_tcp_service_alternates_and_replies_bypass_the_director()
    {
        // without forwarding the director cannot pass a reply on: whatever reaches the client came from the real server
        _lab.Forwarding(false);
        try
        {
            var id = AddRoundRobin(LvsProtocol.Tcp, TrafficLab.DirectRoutingVip, 80, ForwardingMethod.DirectRoute, TrafficLab.HttpPort);
            foreach (var rs in _lab.Servers)
            {
                Assert.DoesNotContain(" via ", rs.Exec("ip", "route", "get", TrafficLab.ClientAddress, "from", TrafficLab.DirectRoutingVip));
            }

            var answered = new List<string>();
            for (int i = 0; i < Requests; i++)
            {
                var r = _lab.HttpGet(TrafficLab.DirectRoutingVip, 80);
                Assert.Equal(200, r.Status);
                answered.Add(r.Backend);
            }
            AssertAlternates(answered);

            var service = AssertCountersEqualIpvsadm(id, Requests);
            // the director only ever saw the client's packets
            Assert.Equal((0ul, 0ul), (service.Stats.PacketsOut, service.Stats.BytesOut));
            Assert.All(service.RealServers, rs => Assert.True(rs.Stats.PacketsIn > 0));
            AssertConnectionsEqualIpvsadm(id, Requests);
        }
        finally
        {
            _lab.Forwarding(true);
        }
    }

    [Fact]
    public void Nat_udp_service_alternates_real_servers_and_counts_like_ipvsadm()
    {
        _lab.Forwarding(true);
        var id = AddRoundRobin(LvsProtocol.Udp, TrafficLab.DirectorAddress, 53, ForwardingMethod.Masquerade, TrafficLab.UdpPort);

        var answered = new List<string>();
        for (int i = 0; i < Requests; i++)
        {
            var reply = _lab.UdpRequest(TrafficLab.DirectorAddress, 53, "ping" + i);
            Assert.NotNull(reply);
            Assert.EndsWith(":ping" + i, reply);
            answered.Add(reply[..reply.IndexOf(':')]);
        }
        AssertAlternates(answered);

        var service = AssertCountersEqualIpvsadm(id, Requests);
        Assert.Equal(((ulong)Requests, (ulong)Requests), (service.Stats.PacketsIn, service.Stats.PacketsOut));
        AssertConnectionsEqualIpvsadm(id, Requests);
    }

    [Fact]
    public void A_real_server_removed_and_added_again_comes_back_from_the_trash_with_its_counters()
    {
        // the fact LvsPs's managed engine copies (Scheduling/DestinationTrash): ip_vs_add_dest takes a removed
        // destination back from ipvs->dest_trash with its counters and the connections that still point at it
        _lab.Forwarding(true);
        var id = AddRoundRobin(LvsProtocol.Tcp, TrafficLab.DirectorAddress, 82, ForwardingMethod.Masquerade, TrafficLab.HttpPort);
        for (int i = 0; i < Requests; i++) Assert.Equal(200, _lab.HttpGet(TrafficLab.DirectorAddress, 82).Status);
        var before = AssertCountersEqualIpvsadm(id, Requests);
        var rs = before.RealServers[0];
        Assert.Equal(Requests / 2, rs.ActiveConnections + rs.InactiveConnections); // TIME_WAIT entries still point at it

        _lab.Kernel.DeleteRealServer(id, rs.Settings.Id);
        _lab.Kernel.AddRealServer(id, new RealServerSettings { Id = rs.Settings.Id, Forwarding = ForwardingMethod.Masquerade, Weight = 3 });
        var back = _lab.Kernel.GetService(id)!.RealServers.Single(r => r.Id == rs.Id);
        Assert.Equal(3, back.Weight);
        Assert.Equal(rs.Stats.Connections, back.Stats.Connections);
        Assert.Equal(rs.Stats.BytesIn, back.Stats.BytesIn);
        Assert.Equal(rs.ActiveConnections + rs.InactiveConnections, back.ActiveConnections + back.InactiveConnections);
    }

    private VirtualServiceId AddRoundRobin(LvsProtocol protocol, string vip, ushort port, ForwardingMethod forwarding, int realPort)
    {
        var id = VirtualServiceId.ForAddress(protocol, IPAddress.Parse(vip), port);
        var changes = new List<DirectorChange> { new DirectorChange.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" }) };
        foreach (var a in TrafficLab.ServerAddresses)
        {
            changes.Add(new DirectorChange.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse(a), (ushort)realPort), Forwarding = forwarding, Weight = 1 }));
        }
        DirectorChange.ApplyAll(_lab.Kernel, changes);
        return id;
    }

    /// <summary>Round robin: every real server answers, in turn, the same number of times.</summary>
    private static void AssertAlternates(List<string> answered)
    {
        Assert.Equal(TrafficLab.ServerAddresses.Length, answered.Distinct().Count());
        for (int i = 1; i < answered.Count; i++) Assert.NotEqual(answered[i - 1], answered[i]);
        Assert.All(answered.GroupBy(a => a), g => Assert.Equal(answered.Count / TrafficLab.ServerAddresses.Length, g.Count()));
    }

    private static string Key(VirtualServiceId id)
    {
        var text = id.ToString();
        int slash = text.IndexOf('/');
        return text[..slash].ToUpperInvariant() + " " + text[(slash + 1)..];
    }

    private string[] IpvsadmArgs(VirtualServiceId id, params string[] extra) =>
        ["-L", "-n", .. extra, id.Protocol == LvsProtocol.Udp ? "-u" : "-t", Key(id).Split(' ')[1]];

    /// <summary>
    /// Compares the service's and its real servers' counters (Conns, InPkts, OutPkts, InBytes, OutBytes) with ipvsadm
    /// -L -n --stats --exact. Kernel 6.1 folds the per-CPU counters into the totals it reports only every 2 s
    /// (estimation_timer in net/netfilter/ipvs/ip_vs_est.c), so this waits for a reading that has stopped changing:
    /// two ipvsadm readings alike, with LvsPs's taken between them.
    /// </summary>
    private VirtualService AssertCountersEqualIpvsadm(VirtualServiceId id, int connections)
    {
        string key = Key(id);
        string lastReport = "";
        for (int attempt = 0; attempt < 20; attempt++)
        {
            Thread.Sleep(1000);
            var before = _lab.Director.Ipvsadm(IpvsadmArgs(id, "--stats", "--exact"));
            var service = _lab.Kernel.GetService(id)!;
            var after = _lab.Director.Ipvsadm(IpvsadmArgs(id, "--stats", "--exact"));
            var rows = IpvsadmListing.Parse(after);
            var expected = new Dictionary<string, ulong[]> { [key] = IpvsadmListing.Counters(rows[key]) };
            var actual = new Dictionary<string, ulong[]> { [key] = Counters(service.Stats) };
            foreach (var rs in service.RealServers)
            {
                string rsKey = key + " -> " + rs.Id;
                expected[rsKey] = IpvsadmListing.Counters(rows[rsKey]);
                actual[rsKey] = Counters(rs.Stats);
            }
            bool settled = before == after && expected[key][0] == (ulong)connections;
            lastReport = string.Join("; ", expected.Keys.Select(k => $"{k}: ipvsadm [{string.Join(' ', expected[k])}] LvsPs [{string.Join(' ', actual[k])}]"));
            if (!settled) continue;
            Assert.True(expected.Keys.All(k => expected[k].SequenceEqual(actual[k])), "counters differ: " + lastReport);
            Assert.Equal(rows.Count, expected.Count);
            Assert.All(service.RealServers, rs => Assert.Equal((ulong)(connections / service.RealServers.Count), rs.Stats.Connections));
            return service;
        }
        Assert.Fail("the counters did not settle at the expected connection count: " + lastReport);
        return null!;
    }

    /// <summary>ActiveConn and InActConn per real server equal ipvsadm -L -n's, and account for every connection.</summary>
    private void AssertConnectionsEqualIpvsadm(VirtualServiceId id, int connections)
    {
        var service = _lab.Kernel.GetService(id)!;
        var rows = IpvsadmListing.Parse(_lab.Director.Ipvsadm(IpvsadmArgs(id)));
        foreach (var rs in service.RealServers)
        {
            var cols = rows[Key(id) + " -> " + rs.Id]; // Forward Weight ActiveConn InActConn
            Assert.Equal((int.Parse(cols[2]), int.Parse(cols[3])), (rs.ActiveConnections, rs.InactiveConnections));
        }
        Assert.Equal(connections, service.RealServers.Sum(r => r.ActiveConnections + r.InactiveConnections));
    }

    private static ulong[] Counters(LvsStats s) => [s.Connections, s.PacketsIn, s.PacketsOut, s.BytesIn, s.BytesOut];
}
