using System.Diagnostics;
using System.Net;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Netlink.Transport;
using LvsPs.TestBackends;
using Xunit.Abstractions;

namespace LvsPs.Tests.Failover;

/// <summary>
/// Active/active scale-out with real BIRD 2: a router (BIRD with ECMP into its kernel table), two managed directors
/// announcing the VIP over BGP from their director services, two real servers and a client that reaches the VIP through
/// the router. Routes follow availability: no real server, drain (Suspend-LvsDirector) and a stopped service withdraw.
/// </summary>
[Collection("netns")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private const string Prefix = "10.78.0";
    private const string Vip = Prefix + ".100";

    [RootFact]
    public void The_router_spreads_the_VIP_over_the_directors_that_have_a_real_server_and_are_not_drained()
    {
        foreach (var (tool, package) in new[] { ("bird", "bird2"), ("birdc", "bird2") })
        {
            if (NetLab.Require(tool, package) is { } missing)
            {
                output.WriteLine("not run: " + missing);
                return;
            }
        }
        using var nodes = new DirectorNodes(Prefix, "lvsps-bgp-", output, TimeSpan.FromSeconds(60));
        var lab = nodes.Lab;
        var folder = nodes.Folder;
        try
        {
            var router = lab.AddHost("r", 1);
            var (client, d1, d2) = nodes.AddClientAndDirectors();
            var r1 = lab.AddHost("sa", 21);
            var r2 = lab.AddHost("sb", 22);
            NetLab.Sysctl(router, "net.ipv4.ip_forward", "1");
            // the client and the directors share the router's link: no redirect may send the client around the router
            NetLab.Sysctl(router, "net.ipv4.conf.all.send_redirects", "0");
            NetLab.Sysctl(router, "net.ipv4.conf.eth0.send_redirects", "0");
            lab.In(client, "ip", "route", "add", Vip + "/32", "via", Prefix + ".1");
            foreach (var d in new[] { d1, d2 }) lab.In(d, "ip", "addr", "add", Vip + "/32", "dev", "lo"); // anycast: each director holds the VIP
            using var echo1 = NetworkNamespace.Run(r1, () => new TcpEchoBackend(new IPEndPoint(IPAddress.Parse(Prefix + ".21"), 7000)));
            using var echo2 = NetworkNamespace.Run(r2, () => new TcpEchoBackend(new IPEndPoint(IPAddress.Parse(Prefix + ".22"), 7000)));

            BirdRouter.Start(lab, router, folder, Prefix + ".1", 65000, nodes.Logger("router"),
                new BirdPeer("da", Prefix + ".11", 65001), new BirdPeer("db", Prefix + ".12", 65002));

            var bgp = new BgpSettings
            {
                As = 65001,
                Neighbors = new[] { new BgpNeighbor { Address = IPAddress.Parse(Prefix + ".1"), As = 65000 } },
                Nodes = new[]
                {
                    new BgpNode { Name = "da", RouterId = IPAddress.Parse(Prefix + ".11") },
                    new BgpNode { Name = "db", RouterId = IPAddress.Parse(Prefix + ".12"), As = 65002 },
                },
            }.Validate();
            var service = new Dictionary<string, Process>();
            foreach (var (ns, node) in new[] { (d1, "da"), (d2, "db") })
            {
                service[node] = nodes.Start(ns, node);
                using var director = nodes.Connect(node);
                var vs = new VirtualServiceSettings { Id = VirtualServiceId.Parse($"tcp/{Vip}:80"), Scheduler = "rr" };
                director.AddService(vs);
                director.AddRealServer(vs.Id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse(Prefix + ".21"), 7000) });
                director.AddRealServer(vs.Id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse(Prefix + ".22"), 7000) });
                director.SetBgp(bgp);
            }

            string[] NextHops() => BirdRouter.NextHops(lab, router, Vip);
            void WaitForHops(string what, params string[] hops) =>
                nodes.Wait(() => NextHops().SequenceEqual(hops) ? true : (bool?)null, $"{what}: next hops {string.Join(", ", hops)} (have {string.Join(", ", NextHops())})");
            var target = new IPEndPoint(IPAddress.Parse(Vip), 80);
            void Answers(string when)
            {
                for (int i = 0; i < 10; i++) Assert.True(NetLab.Echo(client, target, TimeSpan.FromSeconds(5)), $"the client gets an answer {when} (request {i + 1})");
            }

            WaitForHops("both directors announce", Prefix + ".11", Prefix + ".12");
            output.WriteLine(lab.In(router, "ip", "route", "show", Vip));
            Answers("through the router");
            using (var db = nodes.Connect("db"))
            {
                Assert.Equal(new[] { Vip + "/32" }, db.GetFailoverStatus().Announced);
                var status = db.GetBgpStatus()!;
                Assert.Equal("db", status.Node);
                Assert.Equal(BgpSessionState.Established, Assert.Single(status.Sessions).State);
                Assert.Equal(new[] { Vip + "/32" }, status.Announced);

                // every real server down (weight 0, as a failed health check quiesces them): db withdraws
                var id = VirtualServiceId.Parse($"tcp/{Vip}:80");
                foreach (var rs in db.GetService(id)!.RealServers) db.EditRealServer(id, rs.Settings with { Weight = 0 });
                WaitForHops("db has no available real server", Prefix + ".11");
                foreach (var rs in db.GetService(id)!.RealServers) db.EditRealServer(id, rs.Settings with { Weight = 1 });
                WaitForHops("db has real servers again", Prefix + ".11", Prefix + ".12");

                // planned removal
                db.Suspend();
                WaitForHops("db is drained", Prefix + ".11");
                Assert.Empty(db.GetFailoverStatus().Announced);
                Answers("while db is drained");
                db.Resume();
                WaitForHops("db is back", Prefix + ".11", Prefix + ".12");
            }

            // the service stops (SIGTERM, as systemd stops it): BIRD closes its session and the route loses da
            NetLab.Run("kill", "-TERM", service["da"].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(service["da"].WaitForExit(30_000));
            WaitForHops("da stopped", Prefix + ".12");
            output.WriteLine(lab.In(router, "ip", "route", "show", Vip));
            Answers("after da stopped");
        }
        catch
        {
            nodes.WriteLog();
            throw;
        }
    }

}
