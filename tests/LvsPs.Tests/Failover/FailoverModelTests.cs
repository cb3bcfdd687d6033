using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LvsPs.DirectorService.Failover;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.Tests.Failover;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FailoverModelTests
{
    private static FailoverSettings Pair(Func<FailoverSettings, FailoverSettings>? change = null)
    {
        var f = new FailoverSettings
        {
            VirtualRouterId = 51,
            Interface = "eth0",
            VirtualAddresses = new[] { FailoverAddress.Parse("192.0.2.100/24") },
            Nodes = new[]
            {
                new FailoverNode { Name = "lb1", Priority = 150, Address = IPAddress.Parse("192.0.2.11") },
                new FailoverNode { Name = "lb2", Priority = 100, Address = IPAddress.Parse("192.0.2.12") },
            },
        };
        return change is null ? f : change(f);
    }

    [Fact]
    public void A_valid_pair_passes() => Assert.Same(Pair().Validate() is var v ? v : null, v);

    [Theory]
    [InlineData("vrid0", "InvalidVirtualRouterId", "0")]
    [InlineData("vrid256", "InvalidVirtualRouterId", "256")]
    [InlineData("interval0", "InvalidAdvertisementInterval", "0")]
    [InlineData("interface", "InvalidInterface", "eth0/1")]
    [InlineData("noaddresses", "MissingVirtualAddress", "virtualAddresses")]
    [InlineData("mixed", "MixedVirtualAddresses", "IPv6")]
    [InlineData("password", "InvalidPassword", "1..8")]
    [InlineData("priority", "DuplicatePriority", "150")]
    [InlineData("priority255", "InvalidPriority", "255")]
    [InlineData("names", "DuplicateNodeName", "lb1")]
    [InlineData("unicast", "MissingNodeAddress", "lb2")]
    [InlineData("nodeisvip", "InvalidNodeAddress", "192.0.2.100")]
    public void Bad_settings_get_an_error_that_names_the_value(string which, string errorId, string mentioned)
    {
        var bad = which switch
        {
            "vrid0" => Pair(f => f with { VirtualRouterId = 0 }),
            "vrid256" => Pair(f => f with { VirtualRouterId = 256 }),
            "interval0" => Pair(f => f with { AdvertisementInterval = 0 }),
            "interface" => Pair(f => f with { Interface = "eth0/1" }),
            "noaddresses" => Pair(f => f with { VirtualAddresses = Array.Empty<FailoverAddress>() }),
            "mixed" => Pair(f => f with { VirtualAddresses = new[] { FailoverAddress.Parse("192.0.2.100"), FailoverAddress.Parse("2001:db8::1") } }),
            "password" => Pair(f => f with { Password = "far-too-long" }),
            "priority" => Pair(f => f with { Nodes = new[] { f.Nodes[0], f.Nodes[1] with { Priority = 150 } } }),
            "priority255" => Pair(f => f with { Nodes = new[] { f.Nodes[0] with { Priority = 255 }, f.Nodes[1] } }),
            "names" => Pair(f => f with { Nodes = new[] { f.Nodes[0], f.Nodes[1] with { Name = "lb1" } } }),
            "unicast" => Pair(f => f with { Unicast = true, Nodes = new[] { f.Nodes[0], f.Nodes[1] with { Address = null } } }),
            "nodeisvip" => Pair(f => f with { Nodes = new[] { f.Nodes[0], f.Nodes[1] with { Address = IPAddress.Parse("192.0.2.100") } } }),
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };
        var e = Assert.Throws<LvsException>(() => bad.Validate());
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(LvsErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(mentioned, e.Message);
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1/32")]
    [InlineData("192.0.2.1/24", "192.0.2.1/24")]
    [InlineData("2001:db8::7/64", "2001:db8::7/64")]
    public void Virtual_addresses_parse_with_or_without_a_prefix(string text, string shown) => Assert.Equal(shown, FailoverAddress.Parse(text).ToString());

    [Theory]
    [InlineData("192.0.2.1/33")]
    [InlineData("224.0.0.18")]
    [InlineData("nonsense")]
    [InlineData("192.0.2.1/")]
    public void Bad_virtual_addresses_are_refused(string text) => Assert.Equal("InvalidVirtualAddress", Assert.Throws<LvsException>(() => FailoverAddress.Parse(text)).ErrorId);

    [Fact]
    public void An_unknown_node_name_is_an_error_that_lists_the_nodes()
    {
        var e = Assert.Throws<LvsException>(() => Pair().Node("lb3"));
        Assert.Equal("UnknownFailoverNode", e.ErrorId);
        Assert.Contains("lb1, lb2", e.Message);
    }

    [Fact]
    public void Differences_name_each_changed_key_and_never_show_the_password()
    {
        var a = Pair();
        var b = Pair(f => f with { AdvertisementInterval = 2, Password = "secret" });
        var d = a.Differences(b);
        Assert.Equal(new[] { "advertisementInterval", "password" }, d.Select(x => x.Key));
        Assert.DoesNotContain(d, x => (x.To ?? "").Contains("secret"));
        Assert.Empty(a.Differences(Pair()));
    }

    [Fact]
    public void Keepalived_configuration_has_the_instance_for_this_node_and_no_virtual_server()
    {
        var f = Pair(x => x with { Unicast = true, Password = "pw", Preempt = false });
        var text = KeepalivedConfig.Render(f, f.Node("lb2"), "/run/x/keepalived.fifo");
        Assert.Contains("vrrp_instance lvsps_51 {", text);
        Assert.Contains("    priority 100\n", text);
        Assert.Contains("    virtual_router_id 51\n", text);
        Assert.Contains("    interface eth0\n", text);
        Assert.Contains("    nopreempt\n", text);
        Assert.Contains("auth_type PASS", text);
        Assert.Contains("auth_pass pw\n", text);
        Assert.Contains("    unicast_src_ip 192.0.2.12\n", text);
        Assert.Contains("        192.0.2.11\n", text); // the peer
        Assert.DoesNotContain("        192.0.2.12\n", text); // never itself as a peer
        Assert.Contains("        192.0.2.100/24 dev eth0\n", text);
        Assert.Contains("notify_fifo \"/run/x/keepalived.fifo\"", text);
        Assert.DoesNotContain("virtual_server", text);
        Assert.Equal(text.Count(c => c == '{'), text.Count(c => c == '}'));
    }

    [Fact]
    public void An_IPv6_pair_uses_VRRP_version_3_without_authentication()
    {
        var f = Pair(x => x with
        {
            VirtualAddresses = new[] { FailoverAddress.Parse("2001:db8::100/64") },
            Nodes = new[] { x.Nodes[0] with { Address = IPAddress.Parse("2001:db8::11") }, x.Nodes[1] with { Address = null } },
        }).Validate();
        var text = KeepalivedConfig.Render(f, f.Node("lb1"), "/f");
        Assert.Contains("    version 3\n", text);
        Assert.DoesNotContain("authentication", text);
    }

    [Theory]
    [InlineData("INSTANCE \"lvsps_51\" MASTER 150", "MASTER")]
    [InlineData("INSTANCE \"lvsps_51\" BACKUP 100", "BACKUP")]
    [InlineData("INSTANCE \"lvsps_52\" MASTER 150", null)]
    [InlineData("GROUP \"g\" MASTER 0", null)]
    [InlineData("garbage", null)]
    public void Notify_lines_are_read_for_our_instance_only(string line, string? state) =>
        Assert.Equal(state, KeepalivedConfig.ParseNotifyLine(line, "lvsps_51"));

    [Fact]
    public void The_schema_describes_each_failover_key_with_the_models_text()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "lvsps-director.schema.json"))) dir = dir.Parent;
        Assert.NotNull(dir);
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir!.FullName, "docs", "lvsps-director.schema.json")));
        var defs = schema.RootElement.GetProperty("$defs");
        void Check(string def, IReadOnlyList<(string Key, string Description)> keys)
        {
            var props = defs.GetProperty(def).GetProperty("properties");
            Assert.Equal(keys.Select(k => k.Key), props.EnumerateObject().Select(p => p.Name));
            foreach (var (key, description) in keys) Assert.Equal(description, props.GetProperty(key).GetProperty("description").GetString());
        }
        Check("failover", FailoverKeys.Section);
        Check("failoverNode", FailoverKeys.Node);
        Check("bgp", FailoverKeys.Bgp);
        Check("bgpNeighbor", FailoverKeys.BgpNeighbor);
        Check("bgpNode", FailoverKeys.BgpNode);
    }

    [Fact]
    public void Without_keepalived_the_pair_is_kept_and_the_role_is_Fault_saying_how_to_install_it()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lvsps-nokeepalived-" + Guid.NewGuid().ToString("N")[..8]);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        try
        {
            using var director = new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false });
            using var controller = new LvsPs.DirectorService.Failover.FailoverController(dir, "lb1", director, log.Enqueue, findTool: _ => null);
            controller.SetFailover(Pair());
            var deadline = DateTime.UtcNow.AddSeconds(30); // the supervisor thread applies it
            while (controller.GetFailoverStatus().Role != FailoverRole.Fault && DateTime.UtcNow < deadline) Thread.Sleep(50);
            var status = controller.GetFailoverStatus();
            Assert.Equal(FailoverRole.Fault, status.Role);
            Assert.Contains("apt-get install keepalived", status.Problem);
            Assert.Equal(51, controller.GetFailover()!.VirtualRouterId); // the settings are kept, to be used once it is there
            Assert.Contains(log, line => line.Contains("keepalived is not installed", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void With_free_bind_a_managed_director_listens_on_a_VIP_the_host_does_not_hold()
    {
        // 192.0.2.0/24 (TEST-NET-1) is on no interface here: only bound, never sent to
        var id = VirtualServiceId.Parse("tcp/192.0.2.200:8080");
        using (var plain = new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false }))
        {
            Assert.Equal("VirtualAddressNotLocal", Assert.Throws<LvsException>(() => plain.AddService(new VirtualServiceSettings { Id = id })).ErrorId);
            Assert.Empty(plain.GetServices());
        }
        using var ready = new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false, BindNonLocal = vip => vip.Equals(id.Address) });
        ready.AddService(new VirtualServiceSettings { Id = id });
        ready.AddService(new VirtualServiceSettings { Id = VirtualServiceId.Parse("udp/192.0.2.200:8053") });
        Assert.Equal(2, ready.GetServices().Count);
        // only the addresses it was told about (the service: its failover pair's VIPs); another one is still a typo
        Assert.Equal("VirtualAddressNotLocal", Assert.Throws<LvsException>(() => ready.AddService(new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/192.0.2.201:8080") })).ErrorId);
        // the port is really taken on that address: a second plain socket cannot bind it
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.SetRawSocketOption(0, 15, BitConverter.GetBytes(1));
        Assert.Throws<SocketException>(() => probe.Bind(new IPEndPoint(IPAddress.Parse("192.0.2.200"), 8080)));
    }

    private static BgpSettings Group() => new()
    {
        As = 65001,
        Neighbors = new[] { new BgpNeighbor { Address = IPAddress.Parse("192.0.2.1"), As = 65000 } },
        Nodes = new[]
        {
            new BgpNode { Name = "lb1", RouterId = IPAddress.Parse("192.0.2.11") },
            new BgpNode { Name = "lb2", RouterId = IPAddress.Parse("192.0.2.12"), As = 65002 },
        },
    };

    [Fact]
    public void Bgp_settings_are_checked_with_errors_that_name_the_value()
    {
        Group().Validate();
        Assert.Equal("InvalidAs", Assert.Throws<LvsException>(() => (Group() with { As = 23456 }).Validate()).ErrorId);
        Assert.Equal("MissingBgpNeighbor", Assert.Throws<LvsException>(() => (Group() with { Neighbors = Array.Empty<BgpNeighbor>() }).Validate()).ErrorId);
        var e = Assert.Throws<LvsException>(() => (Group() with { Nodes = new[] { new BgpNode { Name = "x", RouterId = IPAddress.Parse("2001:db8::1") } } }).Validate());
        Assert.Equal("InvalidRouterId", e.ErrorId);
        Assert.Contains("2001:db8::1", e.Message);
        Assert.Equal("MissingAs", Assert.Throws<LvsException>(() => (Group() with { As = 0 }).Validate()).ErrorId);
    }

    [Fact]
    public void Bird_configuration_announces_the_given_addresses_with_next_hop_self_to_each_neighbor()
    {
        var g = Group();
        var text = BirdConfig.Render(g, g.Node("lb2"), new[] { IPAddress.Parse("192.0.2.100"), IPAddress.Parse("2001:db8::100") });
        Assert.Contains("router id 192.0.2.12;", text);
        Assert.Contains("    route 192.0.2.100/32 blackhole;\n", text);
        Assert.Contains("    route 2001:db8::100/128 blackhole;\n", text);
        Assert.Contains("    local as 65002;\n", text); // the node's own AS
        Assert.Contains("    neighbor 192.0.2.1 as 65000;\n", text);
        Assert.Contains("export where proto = \"lvsps_vips4\";", text);
        Assert.Contains("next hop self;", text);
        Assert.DoesNotContain("protocol kernel", text); // the blackhole routes never reach the director's own table
        Assert.Equal(text.Count(c => c == '{'), text.Count(c => c == '}'));
        var none = BirdConfig.Render(g, g.Node("lb1"), Array.Empty<IPAddress>());
        Assert.DoesNotContain("route ", none);
        Assert.Contains("    local as 65001;\n", none);
    }
}
