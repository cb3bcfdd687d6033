using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Netlink;
using LvsPs.Netlink.Transport;
using LvsPs.TestBackends;
using LvsPs.Tests.Failover;
using Xunit.Abstractions;

namespace LvsPs.KernelTests;

/// <summary>
/// High availability with kernel IPVS, in the guest: a failover pair whose established TCP connection survives kill -9
/// of the master's director service (keepalived moves the VIP, the sync daemon has already told the backup about the
/// connection), whose sync daemon follows a changed virtual router id and stops when the director leaves the pair
/// (one started by hand stays), as lvsps_sync_daemon_running shows; and two directors with mh that send each flow to
/// the same real server.
/// </summary>
public sealed class KernelFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    // the metrics endpoint of each director service, in its own namespace
    private const int MetricsPort = 9469;

    // one pair for both checks: a .NET start-up of a director service costs about a minute in the emulated guest
    [Fact]
    public void An_established_connection_keeps_echoing_after_the_master_is_killed_and_leaving_the_pair_stops_its_sync_daemon()
    {
        const string prefix = "10.79.0";
        const string vip = prefix + ".100";
        Assert.Null(NetLab.Require("keepalived", "keepalived"));
        using var nodes = new DirectorNodes(prefix, "lvsps-kfo-", output, Bound);
        var lab = nodes.Lab;
        try
        {
            var (client, d1, d2) = nodes.AddClientAndDirectors();
            var rs = lab.AddHost("s", 21);
            // direct routing: the real server holds the VIP on lo and never answers ARP for it; replies go straight to the client
            lab.In(rs, "ip", "addr", "add", vip + "/32", "dev", "lo");
            foreach (var dev in new[] { "all", "eth0" })
            {
                NetLab.Sysctl(rs, $"net.ipv4.conf.{dev}.arp_ignore", "1");
                NetLab.Sysctl(rs, $"net.ipv4.conf.{dev}.arp_announce", "2");
            }
            using var echo = NetworkNamespace.Run(rs, () => new TcpEchoBackend(new IPEndPoint(IPAddress.Any, 7000)));

            var settings = new FailoverSettings
            {
                VirtualRouterId = 79,
                Interface = "eth0",
                VirtualAddresses = new[] { new FailoverAddress(IPAddress.Parse(vip), 24) },
                ConnectionSync = true,
                Nodes = new[]
                {
                    new FailoverNode { Name = "da", Priority = 150, Address = IPAddress.Parse(prefix + ".11") },
                    new FailoverNode { Name = "db", Priority = 100, Address = IPAddress.Parse(prefix + ".12") },
                },
            }.Validate();
            var id = VirtualServiceId.Parse($"tcp/{vip}:7000");
            var services = new Dictionary<string, Process>();
            // both services start at once: a .NET start-up is the slowest step in the emulated guest
            foreach (var (ns, node) in new[] { (d1, "da"), (d2, "db") })
            {
                services[node] = nodes.Start(ns, node, "--metrics", $"127.0.0.1:{MetricsPort}", "--backend", "kernel");
            }
            foreach (var node in new[] { "da", "db" })
            {
                using var director = nodes.Connect(node);
                director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
                director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse(prefix + ".21"), 7000), Forwarding = ForwardingMethod.DirectRoute });
                director.SetFailover(settings);
            }
            using var da = nodes.Connect("da");
            using var db = nodes.Connect("db");
            nodes.Wait(() => da.GetFailoverStatus().Role == FailoverRole.Master && da.GetSyncDaemons().Any(d => d.Role == SyncDaemonRole.Master) ? true : (bool?)null, "da master with a master sync daemon");
            nodes.Wait(() => db.GetFailoverStatus().Role == FailoverRole.Backup && db.GetSyncDaemons().Any(d => d.Role == SyncDaemonRole.Backup) ? true : (bool?)null, "db backup with a backup sync daemon");
            Assert.Equal((byte)79, db.GetSyncDaemons().Single().SyncId);
            Assert.Equal((1, 0), (SyncDaemonMetric(d1, "master", 79), SyncDaemonMetric(d1, "backup", 0)));
            Assert.Equal((0, 1), (SyncDaemonMetric(d2, "master", 0), SyncDaemonMetric(d2, "backup", 79)));

            using var connection = NetLab.SocketIn(client, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            connection.ReceiveTimeout = connection.SendTimeout = 30_000;
            LoopbackClient.Connect(connection, new IPEndPoint(IPAddress.Parse(vip), 7000));
            for (int i = 0; i < 5; i++) Assert.Equal($"before {i}", EchoLine(connection, $"before {i}"));
            // the backup learns the connection from the master's sync daemon (after sync_threshold packets)
            nodes.Wait(() => db.GetConnections().Any(c => c.Protocol == LvsProtocol.Tcp && c.VirtualAddress.ToString() == vip) ? true : (bool?)null, "the connection on the backup");

            services["da"].Kill(); // kill -9 of the master's director service; keepalived dies with it
            services["da"].WaitForExit(30_000);
            nodes.Wait(() => db.GetFailoverStatus().Role == FailoverRole.Master ? true : (bool?)null, "db to become master");
            nodes.Wait(() => lab.Owns(d2, vip) && !lab.Owns(d1, vip) ? true : (bool?)null, "the VIP on db only");
            for (int i = 0; i < 5; i++) Assert.Equal($"after {i}", EchoLine(connection, $"after {i}"));
            Assert.Equal(1, echo.Connections); // the same connection, never a new one
            nodes.Wait(() => db.GetSyncDaemons().Any(d => d.Role == SyncDaemonRole.Master) ? true : (bool?)null, "db's sync daemon to become master");
            // the pair's backup daemon went with the role: only the master runs, as the metric says
            Assert.Equal(new[] { settings.SyncDaemonFor(SyncDaemonRole.Master) }, db.GetSyncDaemons().Select(Plain));
            Assert.Equal((1, 0), (SyncDaemonMetric(d2, "master", 79), SyncDaemonMetric(d2, "backup", 0)));

            // a sync daemon of the user's own (another cluster's backup), which the pair must leave alone
            var mine = new SyncDaemon { Role = SyncDaemonRole.Backup, Interface = "eth0", SyncId = 200 };
            db.StartSyncDaemon(mine);
            // a changed virtual router id restarts the pair's daemon with the new sync id at once; keepalived's reload then
            // starts the renamed instance (lvsps_78) as backup, and after the master-down interval it is master again
            var renumbered = settings with { VirtualRouterId = 78 };
            var transitions = db.GetFailoverStatus().Transitions;
            db.SetFailover(renumbered);
            nodes.Wait(() => db.GetFailoverStatus() is { Role: FailoverRole.Master } s && s.Transitions >= transitions + 2
                && db.GetSyncDaemons().Select(Plain).Contains(renumbered.SyncDaemonFor(SyncDaemonRole.Master)) ? true : (bool?)null,
                "db master again after keepalived's reload, with a master sync daemon of sync id 78");
            Assert.Equal(new[] { renumbered.SyncDaemonFor(SyncDaemonRole.Master), mine }, db.GetSyncDaemons().Select(Plain).OrderBy(d => d.Role));
            Assert.Equal((1, 1), (SyncDaemonMetric(d2, "master", 78), SyncDaemonMetric(d2, "backup", 200)));

            // leaving the pair stops its daemon before the call returns; the user's stays, and the metric says 0 for the master role
            db.SetFailover(null);
            Assert.Equal(new[] { mine }, db.GetSyncDaemons().Select(Plain));
            Assert.Equal((0, 1), (SyncDaemonMetric(d2, "master", 0), SyncDaemonMetric(d2, "backup", 200)));
            Assert.Equal(FailoverRole.Standalone, db.GetFailoverStatus().Role);
            db.StopSyncDaemon(SyncDaemonRole.Backup);
            Assert.Empty(db.GetSyncDaemons());
        }
        catch
        {
            nodes.WriteLog();
            throw;
        }
    }

    [Fact]
    public void With_mh_every_director_sends_a_flow_to_the_same_real_server()
    {
        const string prefix = "10.80.0";
        const string vip = prefix + ".100";
        using var lab = new NetLab(prefix);
        var client = lab.AddHost("c", 2);
        var directors = new[] { lab.AddHost("da", 11), lab.AddHost("db", 12) };
        var servers = new[] { lab.AddHost("sa", 21), lab.AddHost("sb", 22) };
        var backends = new List<HttpBackend>();
        try
        {
            for (int i = 0; i < servers.Length; i++)
            {
                lab.In(servers[i], "ip", "addr", "add", vip + "/32", "dev", "lo");
                foreach (var dev in new[] { "all", "eth0" })
                {
                    NetLab.Sysctl(servers[i], $"net.ipv4.conf.{dev}.arp_ignore", "1");
                    NetLab.Sysctl(servers[i], $"net.ipv4.conf.{dev}.arp_announce", "2");
                }
                var name = "rs" + i;
                backends.Add(NetworkNamespace.Run(servers[i], () => new HttpBackend(name, new IPEndPoint(IPAddress.Parse(vip), 80))));
            }
            var id = VirtualServiceId.Parse($"tcp/{vip}:80");
            foreach (var ns in directors)
            {
                // as behind an ECMP router: every director holds the VIP and has the same mh service
                lab.In(ns, "ip", "addr", "add", vip + "/32", "dev", "lo");
                using var kernel = new KernelDirector(ns);
                kernel.AddService(new VirtualServiceSettings { Id = id, Scheduler = "mh", SchedulerFlags = SchedulerFlags.Port });
                foreach (var address in new[] { ".21", ".22" })
                {
                    kernel.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse(prefix + address), 80), Forwarding = ForwardingMethod.DirectRoute });
                }
            }
            string[] Pick(string via)
            {
                // the router's choice, made by hand: the client's route to the VIP goes through one director, then the other
                lab.In(client, "ip", "route", "replace", vip + "/32", "via", via);
                var picked = new string[16];
                for (int p = 0; p < picked.Length; p++) picked[p] = Get(client, vip, 41000 + p);
                return picked;
            }
            var viaA = Pick(prefix + ".11");
            var viaB = Pick(prefix + ".12");
            output.WriteLine("via da: " + string.Join(" ", viaA));
            output.WriteLine("via db: " + string.Join(" ", viaB));
            Assert.Equal(viaA, viaB);
            Assert.Equal(new[] { "rs0", "rs1" }, viaA.Distinct().Order()); // both real servers take flows: the comparison means something
        }
        finally
        {
            foreach (var b in backends) b.Dispose();
        }
    }

    /// <summary>One HTTP GET to the VIP from a fixed client port (one flow); the backend's name from the answer.</summary>
    private static string Get(string ns, string vip, int sourcePort)
    {
        using var s = NetLab.SocketIn(ns, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.ReceiveTimeout = s.SendTimeout = 30_000;
        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        s.Bind(new IPEndPoint(IPAddress.Any, sourcePort));
        LoopbackClient.Connect(s, new IPEndPoint(IPAddress.Parse(vip), 80));
        s.Send("GET / HTTP/1.0\r\nHost: vip\r\n\r\n"u8);
        var response = new List<byte>();
        var buffer = new byte[4096];
        int n;
        while ((n = s.Receive(buffer)) > 0) response.AddRange(buffer.AsSpan(0, n).ToArray());
        // the backend's body starts with its name
        var text = System.Text.Encoding.ASCII.GetString(response.ToArray());
        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        return body.Split((char[])[' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
    }

    /// <summary>A sync daemon as the pair would start it: what the kernel reports beyond role, interface and sync id (its defaults) set aside.</summary>
    private static SyncDaemon Plain(SyncDaemon d) => new() { Role = d.Role, Interface = d.Interface, SyncId = d.SyncId };

    /// <summary>
    /// The value of lvsps_sync_daemon_running for <paramref name="role"/> on the director service in <paramref name="ns"/>,
    /// whose series must carry sync id <paramref name="syncId"/> (the running daemon's, 0 while none runs in the role).
    /// </summary>
    private static int SyncDaemonMetric(string ns, string role, int syncId)
    {
        using var s = NetLab.SocketIn(ns, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.ReceiveTimeout = s.SendTimeout = 30_000;
        LoopbackClient.Connect(s, new IPEndPoint(IPAddress.Loopback, MetricsPort));
        s.Send("GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n"u8);
        using var text = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = s.Receive(buffer)) > 0 && text.Length < 1 << 20) text.Write(buffer, 0, n);
        var prefix = $"lvsps_sync_daemon_running{{role=\"{role}\",syncid=\"{syncId}\"}} ";
        var line = System.Text.Encoding.ASCII.GetString(text.ToArray()).Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no '{prefix}' series in the metrics of {ns}");
        return int.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string EchoLine(Socket s, string text)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text + "\n");
        s.Send(bytes);
        var buffer = new byte[bytes.Length];
        int got = 0;
        while (got < buffer.Length)
        {
            int n = s.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
            if (n == 0) throw new IOException("the connection closed");
            got += n;
        }
        return System.Text.Encoding.ASCII.GetString(buffer).TrimEnd('\n');
    }
}
