using System.Net;
using LvsPs.Netlink;
using LvsPs.TestBackends;

namespace LvsPs.KernelTests;

/// <summary>
/// A small network of namespaces for real traffic through kernel IPVS: a client, a director and two real servers, each
/// with one veth port on a bridge that lives in a fifth ("switch") namespace. One Ethernet segment carries two
/// subnets: the client side 10.1.0.0/24 (client .1, director .2, and the direct-routing VIP .100 on the director) and
/// the server side 10.2.0.0/24 (director .1, real servers .11 and .12).
/// NAT: the real servers' default route is the director, so their replies to the client pass through it and are
/// un-masqueraded there (ip_forward=1). Direct routing: each real server also holds the VIP on lo (arp_ignore=1,
/// arp_announce=2, so only the director answers ARP for it), and replies sent from the VIP use a table of their own
/// that reaches the client on the segment directly, never through the director.
/// Tunnelling: each real server's fallback tunnel devices (tunl0 for IPIP and GUE, gre0 for GRE) are up and GUE is
/// decapsulated on UDP port <see cref="GuePort"/>, so packets the director encapsulates to it reach the VIP on lo.
/// IPv6 runs beside IPv4 on the same segment: client fd00:1::1, director fd00:1::2 and fd00:2::1, real servers
/// fd00:2::11 and fd00:2::12 (routed back through the director, for NAT).
/// Every real server runs an HTTP server on port 80 (IPv4 and IPv6) and a UDP echo server on port 5353, both naming
/// themselves, and <see cref="NamedEchoBackend"/>s on ports 81 and 82 named "address:port" (connections that stay open).
/// The client also holds <see cref="ClientAddresses"/>, to be many clients.
/// </summary>
public sealed class TrafficLab : IDisposable
{
    public const string ClientAddress = "10.1.0.1";
    public const string DirectorAddress = "10.1.0.2";
    public const string DirectorServerAddress = "10.2.0.1";
    public const string DirectRoutingVip = "10.1.0.100";
    public const int HttpPort = 80;
    public const int UdpPort = 5353;
    public static readonly string[] ServerAddresses = ["10.2.0.11", "10.2.0.12"];
    public const string ClientAddress6 = "fd00:1::1";
    public const string DirectorAddress6 = "fd00:1::2";
    public const string DirectorServerAddress6 = "fd00:2::1";
    public static readonly string[] ServerAddresses6 = ["fd00:2::11", "fd00:2::12"];
    public const int GuePort = 6080;
    public static readonly int[] NamedPorts = [81, 82];

    /// <summary>More addresses of the client, 10.1.0.51 to 10.1.0.58: as many different clients.</summary>
    public static readonly string[] ClientAddresses = Enumerable.Range(51, 8).Select(i => $"10.1.0.{i}").ToArray();

    private readonly List<IDisposable> _owned = new();
    private readonly List<string> _ports = new();

    public TrafficLab()
    {
        try
        {
            // one `ip -batch` per namespace: every process costs about a second in the emulated guest
            Switch = Own(new Namespace());
            Client = Own(new Namespace());
            Director = Own(new Namespace());
            Servers = new Namespace[ServerAddresses.Length];
            for (int i = 0; i < Servers.Length; i++) Servers[i] = Own(new Namespace());

            Client.Batch(Plug("pc", [$"{ClientAddress}/24", .. ClientAddresses.Select(a => a + "/24"), $"{ClientAddress6}/64 nodad"]));
            Director.Batch(Plug("pd", $"{DirectorAddress}/24", $"{DirectorServerAddress}/24", $"{DirectRoutingVip}/32", $"{DirectorAddress6}/64 nodad", $"{DirectorServerAddress6}/64 nodad"));
            // the director forwards NAT replies out of the port they came in on: no ICMP redirects to the real servers
            Director.Sysctl("net.ipv4.conf.all.send_redirects", "0");
            Director.Sysctl("net.ipv4.conf.eth0.send_redirects", "0");
            for (int i = 0; i < Servers.Length; i++)
            {
                var rs = Servers[i];
                rs.Batch(Plug("ps" + i, $"{ServerAddresses[i]}/24", $"{ServerAddresses6[i]}/64 nodad") +
                    $"route add default via {DirectorServerAddress}\n" +
                    $"route add default via {DirectorServerAddress6}\n" +
                    // the fallback tunnel devices take IPIP (also GUE's inner packets) and keyless GRE from anyone
                    "link set tunl0 up\nlink set gre0 up\n" +
                    $"fou add port {GuePort} gue\n" +
                    $"addr add {DirectRoutingVip}/32 dev lo\n" +
                    // direct-routing replies (source: the VIP) go to the client on the segment, not via the director
                    $"rule add from {DirectRoutingVip} table 100\n" +
                    "route add 10.1.0.0/24 dev eth0 table 100\n");
                foreach (var dev in new[] { "all", "default", "tunl0", "gre0" }) rs.Sysctl($"net.ipv4.conf.{dev}.rp_filter", "0");
                // the director forwards NAT replies out of the port they came in on; IPv6 has no send_redirects to
                // turn off there, so the real servers ignore its redirects (which would send replies past it)
                foreach (var dev in new[] { "all", "eth0" }) rs.Sysctl($"net.ipv6.conf.{dev}.accept_redirects", "0");
                foreach (var dev in new[] { "all", "eth0" })
                {
                    rs.Sysctl($"net.ipv4.conf.{dev}.arp_ignore", "1");
                    rs.Sysctl($"net.ipv4.conf.{dev}.arp_announce", "2");
                    rs.Sysctl($"net.ipv4.conf.{dev}.accept_redirects", "0");
                }
                string name = "rs" + (i + 1);
                Own(rs.Enter(() => new HttpBackend(name, new IPEndPoint(IPAddress.Any, HttpPort))));
                Own(rs.Enter(() => new UdpEchoBackend(name, new IPEndPoint(IPAddress.Any, UdpPort))));
                var v6 = IPAddress.Parse(ServerAddresses6[i]);
                Own(rs.Enter(() => new HttpBackend(name, new IPEndPoint(v6, HttpPort))));
                foreach (var port in NamedPorts)
                {
                    string named = $"{ServerAddresses[i]}:{port}";
                    Own(rs.Enter(() => new NamedEchoBackend(named, new IPEndPoint(IPAddress.Any, port))));
                }
            }
            Switch.Batch("link add br0 type bridge forward_delay 0 stp_state 0\nlink set br0 up\n" +
                string.Concat(_ports.Select(p => $"link set {p} master br0 up\n")));
            Kernel = Own(new KernelDirector(Director.Name));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public Namespace Switch { get; } = null!;
    public Namespace Client { get; } = null!;
    public Namespace Director { get; } = null!;
    public Namespace[] Servers { get; } = null!;

    /// <summary>LvsPs's kernel backend, targeting the director's namespace.</summary>
    public KernelDirector Kernel { get; } = null!;

    /// <summary>Lets the director route (NAT needs it for the replies; direct routing does not).</summary>
    public void Forwarding(bool on) => Director.Sysctl("net.ipv4.ip_forward", on ? "1" : "0");

    /// <summary>Lets the director route IPv6 (NAT of IPv6 services).</summary>
    public void Forwarding6(bool on) => Director.Sysctl("net.ipv6.conf.all.forwarding", on ? "1" : "0");

    /// <summary>One HTTP GET from the client's namespace, from the client address <paramref name="from"/>.</summary>
    public HttpProbeResult HttpGetFrom(string from, string address, int port = HttpPort) =>
        Client.Enter(() => LoopbackClient.HttpGetFrom(from, address, port, "/", timeoutMs: 10_000));

    /// <summary>Opens a connection from the client's namespace to a <see cref="NamedEchoBackend"/> through the director and keeps it.</summary>
    public NamedConnection Open(IPEndPoint to, IPEndPoint? from = null) =>
        Client.Enter(() => NamedConnection.Open(to, from, timeoutMs: 10_000));

    /// <summary>One HTTP GET from the client's namespace on a new connection; returns the answering real server's name.</summary>
    public HttpProbeResult HttpGet(string address, int port = HttpPort, string path = "/") =>
        Client.Enter(() => LoopbackClient.HttpGet(address, port, path, timeoutMs: 10_000));

    /// <summary>One UDP request from a new socket in the client's namespace; the reply, or null after 5 s.</summary>
    public string? UdpRequest(string address, int port, string message) =>
        Client.Enter(() => LoopbackClient.UdpRequest(address, port, message, timeoutMs: 5_000));

    /// <summary>ip -batch lines that give the namespace an eth0 whose peer <paramref name="port"/> waits in the switch's namespace.</summary>
    private string Plug(string port, params string[] addresses)
    {
        _ports.Add(port);
        return $"link add eth0 type veth peer name {port} netns {Switch.Name}\n" +
            string.Concat(addresses.Select(a => $"addr add {a} dev eth0\n")) +
            "link set eth0 up\n";
    }

    private T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
    }
}
