using System.Diagnostics;
using System.Net;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Netlink.Transport;
using LvsPs.TestBackends;
using Xunit.Abstractions;

namespace LvsPs.Tests.Failover;

/// <summary>
/// A managed-backend failover pair with real keepalived: a bridge, a client, two directors (each a director service in
/// its own namespace) and two real servers. Under steady client load the master's service is killed with kill -9;
/// the backup must answer, and the old master, started again, must take the VIP back without a second owner.
/// </summary>
[Collection("netns")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FailoverPairTests(ITestOutputHelper output)
{
    private const string Prefix = "10.77.0";
    private static readonly IPAddress Vip = IPAddress.Parse(Prefix + ".100");
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [RootFact]
    public void Backup_answers_after_the_master_is_killed_and_the_old_master_takes_over_again_alone()
    {
        if (NetLab.Require("keepalived", "keepalived") is { } missing)
        {
            output.WriteLine("not run: " + missing);
            return;
        }
        using var nodes = new DirectorNodes(Prefix, "lvsps-failover-", output, Bound);
        var lab = nodes.Lab;
        try
        {
            var (client, d1, d2) = nodes.AddClientAndDirectors();
            var r1 = lab.AddHost("ra", 21);
            var r2 = lab.AddHost("rb", 22);
            using var echo1 = NetworkNamespace.Run(r1, () => new TcpEchoBackend(new IPEndPoint(IPAddress.Parse(Prefix + ".21"), 7000)));
            using var echo2 = NetworkNamespace.Run(r2, () => new TcpEchoBackend(new IPEndPoint(IPAddress.Parse(Prefix + ".22"), 7000)));

            var settings = new FailoverSettings
            {
                VirtualRouterId = 77,
                AdvertisementInterval = 1,
                Interface = "eth0",
                VirtualAddresses = new[] { new FailoverAddress(Vip, 24) },
                Password = "lvsps",
                Nodes = new[]
                {
                    new FailoverNode { Name = "da", Priority = 150, Address = IPAddress.Parse(Prefix + ".11") },
                    new FailoverNode { Name = "db", Priority = 100, Address = IPAddress.Parse(Prefix + ".12") },
                },
            }.Validate();

            var service1 = nodes.Start(d1, "da");
            nodes.Start(d2, "db");
            foreach (var node in new[] { "da", "db" })
            {
                using var director = nodes.Connect(node);
                director.SetFailover(settings); // first: a director listens on its pair's VIPs before it holds them
                var vs = new VirtualServiceSettings { Id = VirtualServiceId.Parse($"tcp/{Vip}:80"), Scheduler = "rr" };
                director.AddService(vs); // the VIP is not local on either director yet: listening all the same (IP_FREEBIND)
                director.AddRealServer(vs.Id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse(Prefix + ".21"), 7000) });
                director.AddRealServer(vs.Id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse(Prefix + ".22"), 7000) });
            }
            using (var da = nodes.Connect("da")) nodes.Wait(() => da.GetFailoverStatus().Role == FailoverRole.Master ? true : (bool?)null, "da to become master");
            using (var db = nodes.Connect("db")) nodes.Wait(() => db.GetFailoverStatus().Role == FailoverRole.Backup ? true : (bool?)null, "db to be backup");
            Assert.True(lab.Owns(d1, Vip.ToString()));
            Assert.False(lab.Owns(d2, Vip.ToString()));
            using (var da = nodes.Connect("da"))
            {
                var info = da.GetInfo();
                Assert.Equal(FailoverRole.Master, info.Role);
                Assert.Contains("db", info.Peer);
                Assert.NotNull(info.LastTransition);
            }
            var target = new IPEndPoint(Vip, 80);
            Assert.True(NetLab.Echo(client, target, TimeSpan.FromSeconds(5)), "the client gets an answer through the master");

            // steady load: one request after another (bounded), recording when each succeeded
            var successes = new System.Collections.Concurrent.ConcurrentQueue<long>();
            using var stopLoad = new CancellationTokenSource();
            var load = Task.Run(() =>
            {
                for (int i = 0; i < 100_000 && !stopLoad.IsCancellationRequested; i++)
                {
                    if (NetLab.Echo(client, target, TimeSpan.FromMilliseconds(500))) successes.Enqueue(Stopwatch.GetTimestamp());
                    else Thread.Sleep(20);
                }
            });
            nodes.Wait(() => successes.Count >= 5 ? true : (bool?)null, "steady answers through the master");

            long killed = Stopwatch.GetTimestamp();
            service1.Kill(); // kill -9 of the master's director service
            service1.WaitForExit(10_000);
            var firstAfter = nodes.Wait(() => successes.Where(t => t > killed).Cast<long?>().FirstOrDefault(), "an answer from the backup");
            var failover = Stopwatch.GetElapsedTime(killed, firstAfter!.Value);
            output.WriteLine($"kill -9 of the master's service to the first answer from the backup: {failover.TotalSeconds:F2} s");
            using (var db = nodes.Connect("db")) nodes.Wait(() => db.GetFailoverStatus().Role == FailoverRole.Master ? true : (bool?)null, "db to become master");
            Assert.True(lab.Owns(d2, Vip.ToString()));
            Assert.False(lab.Owns(d1, Vip.ToString()));

            // the old master comes back: its state file restores the services and the pair; with preempt it takes over
            nodes.Start(d1, "da");
            using (var da = nodes.Connect("da")) nodes.Wait(() => da.GetFailoverStatus().Role == FailoverRole.Master ? true : (bool?)null, "da to become master again");
            using (var db = nodes.Connect("db")) nodes.Wait(() => db.GetFailoverStatus().Role == FailoverRole.Backup ? true : (bool?)null, "db to step back");
            for (int i = 0; i < 10; i++)
            {
                int owners = (lab.Owns(d1, Vip.ToString()) ? 1 : 0) + (lab.Owns(d2, Vip.ToString()) ? 1 : 0);
                Assert.Equal(1, owners);
                Thread.Sleep(100);
            }
            Assert.True(lab.Owns(d1, Vip.ToString()));
            long back = Stopwatch.GetTimestamp();
            nodes.Wait(() => successes.Any(t => t > back) ? true : (bool?)null, "answers after the old master is back");
            stopLoad.Cancel();
            load.Wait(Bound);
        }
        catch
        {
            nodes.WriteLog();
            throw;
        }
    }
}
