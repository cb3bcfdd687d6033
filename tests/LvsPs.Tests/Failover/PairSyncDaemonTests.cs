using System.Net;
using System.Reflection;
using LvsPs.DirectorService.Failover;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.Tests.Failover;

/// <summary>
/// The failover pair's IPVS connection sync daemons in the director service (the controller, on a backend that keeps
/// sync daemons as the kernel does: one per role): the pair stops the daemons it owns when it is left, restarts them
/// with changed sync values, and never touches a daemon started by hand. The same on kernel IPVS in the guest:
/// KernelFailoverTests.An_established_connection_keeps_echoing_after_the_master_is_killed_and_leaving_the_pair_stops_its_sync_daemon.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PairSyncDaemonTests
{
    private static FailoverSettings Pair(int vrid = 51, string iface = "eth0", bool sync = true) => new FailoverSettings
    {
        VirtualRouterId = vrid,
        Interface = iface,
        VirtualAddresses = new[] { FailoverAddress.Parse("192.0.2.100/24") },
        ConnectionSync = sync,
        Nodes = new[]
        {
            new FailoverNode { Name = "lb1", Priority = 150, Address = IPAddress.Parse("192.0.2.11") },
            new FailoverNode { Name = "lb2", Priority = 100, Address = IPAddress.Parse("192.0.2.12") },
        },
    }.Validate();

    [Fact]
    public void Ownership_is_the_pairs_interface_and_sync_id_with_connection_sync_on()
    {
        var pair = Pair();
        Assert.True(pair.Owns(new SyncDaemon { Role = SyncDaemonRole.Backup, Interface = "eth0", SyncId = 51, Port = 8848 }));
        Assert.False(pair.Owns(new SyncDaemon { Role = SyncDaemonRole.Backup, Interface = "eth0", SyncId = 52 }));
        Assert.False(pair.Owns(new SyncDaemon { Role = SyncDaemonRole.Backup, Interface = "eth1", SyncId = 51 }));
        Assert.False(Pair(sync: false).Owns(new SyncDaemon { Role = SyncDaemonRole.Backup, Interface = "eth0", SyncId = 51 }));
        var running = new[] { pair.SyncDaemonFor(SyncDaemonRole.Master), new SyncDaemon { Role = SyncDaemonRole.Backup, Interface = "eth1", SyncId = 200 } };
        var leave = Assert.Single(pair.SyncDaemonChanges(null, running));
        Assert.Equal((SyncDaemonRole.Master, (SyncDaemon?)null), (leave.Old.Role, leave.New));
        var change = Assert.Single(pair.SyncDaemonChanges(Pair(vrid: 52), running));
        Assert.Equal((byte)52, change.New!.SyncId);
        Assert.Equal(SyncDaemonRole.Master, change.New.Role);
        Assert.Empty(pair.SyncDaemonChanges(pair with { AdvertisementInterval = 3 }, running)); // not a sync value: the daemon stays
        Assert.Single(pair.SyncDaemonChanges(pair with { ConnectionSync = false }, running), c => c.New is null);
        // as -WhatIf and -Verbose of Set-LvsFailover say it
        Assert.Equal("; stop its connection sync daemon (Master on eth0 sync id 51)", FailoverSettings.Describe(pair.SyncDaemonChanges(null, running)));
        Assert.Equal("; restart its connection sync daemon (Master on eth0 sync id 51) as Master on eth0 sync id 52", FailoverSettings.Describe(pair.SyncDaemonChanges(Pair(vrid: 52), running)));
        Assert.Equal("", FailoverSettings.Describe(pair.SyncDaemonChanges(pair, running)));
    }

    [Fact]
    public void Leaving_the_pair_stops_its_sync_daemon_a_changed_sync_id_restarts_it_and_one_started_by_hand_stays()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lvsps-pairsync-" + Guid.NewGuid().ToString("N")[..8]);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var backend = KernelSyncDaemons.Create();
        var mine = new SyncDaemon { Role = SyncDaemonRole.Master, Interface = "eth1", SyncId = 200 };
        backend.StartSyncDaemon(mine); // the user's own (Start-LvsSyncDaemon), for another cluster
        try
        {
            // no keepalived here: the role is Fault, and a node that is not master receives (a backup daemon)
            using var controller = new FailoverController(dir, "lb1", backend, log.Enqueue, findTool: _ => null);
            controller.SetFailover(Pair());
            var deadline = DateTime.UtcNow.AddSeconds(30); // the supervisor thread reports the fault
            while (!backend.GetSyncDaemons().Any(d => d.Role == SyncDaemonRole.Backup) && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.Equal(FailoverRole.Fault, controller.GetFailoverStatus().Role);
            Assert.Equal(new[] { mine, Pair().SyncDaemonFor(SyncDaemonRole.Backup) }, backend.GetSyncDaemons());

            controller.SetFailover(Pair(vrid: 52)); // a changed sync id restarts the pair's daemon with it, at once
            Assert.Equal(new[] { mine, Pair(vrid: 52).SyncDaemonFor(SyncDaemonRole.Backup) }, backend.GetSyncDaemons());

            controller.SetFailover(Pair(vrid: 52, iface: "eth2")); // so does a changed interface
            Assert.Equal(new[] { mine, Pair(vrid: 52, iface: "eth2").SyncDaemonFor(SyncDaemonRole.Backup) }, backend.GetSyncDaemons());

            controller.SetFailover(null); // leaving the pair stops its daemon before the call returns; the user's stays
            Assert.Equal(new[] { mine }, backend.GetSyncDaemons());
            Assert.Contains(log, line => line.Contains("left the failover pair: stopped its connection sync daemon (Backup on eth2 sync id 52)", StringComparison.Ordinal));
            Assert.Null(controller.GetFailoverStatus().Problem);

            controller.SetFailover(Pair(sync: false)); // without connectionSync the pair runs no daemon at all
            deadline = DateTime.UtcNow.AddSeconds(30);
            while (controller.GetFailoverStatus().Role != FailoverRole.Fault && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.Equal(FailoverRole.Fault, controller.GetFailoverStatus().Role);
            Assert.Equal(new[] { mine }, backend.GetSyncDaemons());
            controller.SetFailover(Pair()); // turned on: the daemon of the current role starts at once
            Assert.Equal(new[] { mine, Pair().SyncDaemonFor(SyncDaemonRole.Backup) }, backend.GetSyncDaemons());
            controller.SetFailover(Pair(sync: false)); // and off again: it stops
            Assert.Equal(new[] { mine }, backend.GetSyncDaemons());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_daemon_started_by_hand_in_the_pairs_role_is_kept_and_the_conflict_is_logged()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lvsps-pairsync-" + Guid.NewGuid().ToString("N")[..8]);
        var backend = KernelSyncDaemons.Create();
        var mine = new SyncDaemon { Role = SyncDaemonRole.Backup, Interface = "eth1", SyncId = 200 };
        backend.StartSyncDaemon(mine);
        try
        {
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var controller = new FailoverController(dir, "lb1", backend, log.Enqueue, findTool: _ => null);
            controller.SetFailover(Pair());
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (controller.GetFailoverStatus().Role != FailoverRole.Fault && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.Equal(new[] { mine }, backend.GetSyncDaemons());
            // the kernel runs one daemon per role: the pair's cannot start beside the user's, and the log says why and what to do
            Assert.Contains(log, line => line.Contains("a Backup sync daemon that is not the pair's runs (Backup on eth1 sync id 200)", StringComparison.Ordinal)
                && line.Contains("Stop-LvsSyncDaemon -Role Backup", StringComparison.Ordinal));
            controller.SetFailover(null);
            Assert.Equal(new[] { mine }, backend.GetSyncDaemons());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void After_a_restart_of_the_service_the_running_daemon_with_the_pairs_values_is_adopted_and_goes_with_the_pair()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lvsps-pairsync-" + Guid.NewGuid().ToString("N")[..8]);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var backend = KernelSyncDaemons.Create();
        // the kernel kept the daemon the service ran before it was restarted (or killed)
        backend.StartSyncDaemon(Pair().SyncDaemonFor(SyncDaemonRole.Backup));
        try
        {
            using var controller = new FailoverController(dir, "lb1", backend, log.Enqueue, findTool: _ => null);
            controller.Restore(Pair(), null, suspended: false); // from the state file
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (controller.GetFailoverStatus().Role != FailoverRole.Fault && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.Equal(FailoverRole.Fault, controller.GetFailoverStatus().Role);
            Assert.Equal(new[] { Pair().SyncDaemonFor(SyncDaemonRole.Backup) }, backend.GetSyncDaemons()); // kept, not started again
            Assert.DoesNotContain(log, line => line.Contains("connectionSync", StringComparison.Ordinal));
            controller.SetFailover(null);
            Assert.Empty(backend.GetSyncDaemons());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A backend that only keeps sync daemons, as the kernel does: one per role, starting a second is refused, stopping none too.</summary>
    public class KernelSyncDaemons : DispatchProxy
    {
        private readonly List<SyncDaemon> _running = new();

        public static IDirectorBackend Create() => DispatchProxy.Create<IDirectorBackend, KernelSyncDaemons>();

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            lock (_running)
            {
                switch (method!.Name)
                {
                    case nameof(IDirectorBackend.GetSyncDaemons):
                        return _running.OrderBy(d => d.Role).ToList();
                    case nameof(IDirectorBackend.StartSyncDaemon):
                        var d = (SyncDaemon)args![0]!;
                        if (_running.Any(r => r.Role == d.Role)) throw LvsException.InvalidArgument("SyncDaemonRunning", $"A {d.Role} sync daemon already runs (EEXIST).", d.Role);
                        _running.Add(d);
                        return null;
                    case nameof(IDirectorBackend.StopSyncDaemon):
                        var role = (SyncDaemonRole)args![0]!;
                        if (_running.RemoveAll(r => r.Role == role) == 0) throw LvsException.InvalidArgument("SyncDaemonNotRunning", $"No {role} sync daemon runs (ESRCH).", role);
                        return null;
                    case nameof(IDirectorBackend.GetServices):
                        return Array.Empty<VirtualService>();
                    default:
                        throw new NotSupportedException($"{method.Name}: this test backend keeps sync daemons only");
                }
            }
        }
    }
}
