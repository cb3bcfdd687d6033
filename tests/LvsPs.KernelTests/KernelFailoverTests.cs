using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Netlink;
using LvsPs.Netlink.Transport;
using LvsPs.Remote;
using LvsPs.TestBackends;
using Xunit.Abstractions;

namespace LvsPs.KernelTests;

/// <summary>
/// High availability with kernel IPVS, in the guest: a failover pair whose established TCP connection survives kill -9
/// of the master's director service (keepalived moves the VIP, the sync daemon has already told the backup about the
/// connection), and two directors with mh that send each flow to the same real server.
/// </summary>
public sealed class KernelFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public void An_established_connection_keeps_echoing_after_the_master_is_killed()
    {
        const string prefix = "10.79.0";
        const string vip = prefix + ".100";
        Assert.Null(NetLab.Require("keepalived", "keepalived"));
        var folder = Directory.CreateTempSubdirectory("lvsps-kfo-").FullName;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var lab = new NetLab(prefix);
        try
        {
            var client = lab.AddHost("c", 2);
            var d1 = lab.AddHost("da", 11);
            var d2 = lab.AddHost("db", 12);
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
                services[node] = lab.Start(ns, line => log.Enqueue($"{node}: {line}"), "dotnet", Path.Combine(AppContext.BaseDirectory, "LvsPs.DirectorService.dll"),
                    "--socket", Path.Combine(folder, node, "director.sock"), "--state", Path.Combine(folder, node, "director.json"),
                    "--metrics", "off", "--backend", "kernel", "--node", node);
            }
            foreach (var node in new[] { "da", "db" })
            {
                using var director = Wait(() => Connect(folder, node), $"the service of {node}");
                director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
                director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse(prefix + ".21"), 7000), Forwarding = ForwardingMethod.DirectRoute });
                director.SetFailover(settings);
            }
            using var da = Connect(folder, "da")!;
            using var db = Connect(folder, "db")!;
            Wait(() => da.GetFailoverStatus().Role == FailoverRole.Master && da.GetSyncDaemons().Any(d => d.Role == SyncDaemonRole.Master) ? true : (bool?)null, "da master with a master sync daemon");
            Wait(() => db.GetFailoverStatus().Role == FailoverRole.Backup && db.GetSyncDaemons().Any(d => d.Role == SyncDaemonRole.Backup) ? true : (bool?)null, "db backup with a backup sync daemon");
            Assert.Equal((byte)79, db.GetSyncDaemons().Single().SyncId);

            using var connection = NetLab.SocketIn(client, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            connection.ReceiveTimeout = connection.SendTimeout = 30_000;
            LoopbackClient.Connect(connection, new IPEndPoint(IPAddress.Parse(vip), 7000));
            for (int i = 0; i < 5; i++) Assert.Equal($"before {i}", EchoLine(connection, $"before {i}"));
            // the backup learns the connection from the master's sync daemon (after sync_threshold packets)
            Wait(() => db.GetConnections().Any(c => c.Protocol == LvsProtocol.Tcp && c.VirtualAddress.ToString() == vip) ? true : (bool?)null, "the connection on the backup");

            services["da"].Kill(); // kill -9 of the master's director service; keepalived dies with it
            services["da"].WaitForExit(30_000);
            Wait(() => db.GetFailoverStatus().Role == FailoverRole.Master ? true : (bool?)null, "db to become master");
            Wait(() => lab.Owns(d2, vip) && !lab.Owns(d1, vip) ? true : (bool?)null, "the VIP on db only");
            for (int i = 0; i < 5; i++) Assert.Equal($"after {i}", EchoLine(connection, $"after {i}"));
            Assert.Equal(1, echo.Connections); // the same connection, never a new one
            Wait(() => db.GetSyncDaemons().Any(d => d.Role == SyncDaemonRole.Master) ? true : (bool?)null, "db's sync daemon to become master");
        }
        catch
        {
            foreach (var line in log) output.WriteLine(line);
            throw;
        }
        finally
        {
            lab.Dispose();
            NetLab.KillLeftovers(folder);
            Directory.Delete(folder, recursive: true);
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

    private static RemoteDirector? Connect(string folder, string node)
    {
        try
        {
            var d = new RemoteDirector(Path.Combine(folder, node, "director.sock"));
            d.GetInfo();
            return d;
        }
        catch (LvsException)
        {
            return null;
        }
    }

    private static T Wait<T>(Func<T?> probe, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Bound.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var value = probe();
            if (value is not null) return value;
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"Waited {Bound.TotalSeconds} s for {what}.");
            Thread.Sleep(100);
        }
    }
}
