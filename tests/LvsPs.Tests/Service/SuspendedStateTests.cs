using System.Net;
using LvsPs.Model.Failover;
using LvsPs.Remote;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Service;

/// <summary>
/// A node an operator suspended (Suspend-LvsDirector, for maintenance) stays suspended when its director service
/// restarts, even after a crash: it must not come back as a candidate for mastership on its own.
/// </summary>
public sealed class SuspendedStateTests
{
    private static FailoverSettings Pair() => new()
    {
        // the interface does not exist: keepalived (when installed) only reports a fault, no VRRP leaves this host
        VirtualRouterId = 53,
        Interface = "lvspsnone0",
        VirtualAddresses = new[] { FailoverAddress.Parse("192.0.2.120/24") },
        Nodes = new[]
        {
            new FailoverNode { Name = Environment.MachineName, Priority = 150, Address = IPAddress.Parse("192.0.2.31") },
            new FailoverNode { Name = "peer", Priority = 100, Address = IPAddress.Parse("192.0.2.32") },
        },
    };

    [Fact]
    public void A_suspended_node_is_still_suspended_after_its_service_is_killed_and_started_again_and_resume_is_kept_too()
    {
        using var service = DirectorServiceProcess.StartNew();
        using (var director = new RemoteDirector(service.SocketPath))
        {
            director.SetFailover(Pair());
            director.Suspend();
            Assert.True(director.GetFailoverStatus().Suspended);
        }

        service.Kill(); // kill -9: nothing but the state file survives
        service.Start();
        using (var director = new RemoteDirector(service.SocketPath))
        {
            Assert.Equal(53, director.GetFailover()!.VirtualRouterId);
            Assert.True(director.GetFailoverStatus().Suspended, "the node came back as a candidate for mastership");
            director.Resume();
        }

        service.Kill();
        service.Start();
        using (var director = new RemoteDirector(service.SocketPath))
        {
            Assert.False(director.GetFailoverStatus().Suspended);
            director.Shutdown();
        }
    }
}
