using System.Net;
using CsCheck;
using LvsPs.Configuration;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Model.Health;

namespace LvsPs.Tests.Configuration;

/// <summary>The reconcile planner on captured configurations: what it plans, in which order, and that it plans nothing twice.</summary>
public sealed class ReconcilePlannerTests
{
    private static readonly string Seed = new PCG(1, 20261129).ToString();
    private static readonly VirtualServiceId A = VirtualServiceId.Parse("tcp/10.0.0.1:80");
    private static readonly VirtualServiceId B = VirtualServiceId.Parse("tcp/10.0.0.1:443");

    private static RealServerSettings Rs(string address, int weight = 1) =>
        new() { Id = RealServerId.Create(IPAddress.Parse(address), 80), Weight = weight };

    private static ServiceConfiguration Service(VirtualServiceId id, string scheduler, params RealServerSettings[] realServers) =>
        new(new VirtualServiceSettings { Id = id, Scheduler = scheduler }, realServers);

    private static DirectorConfiguration Live(params ServiceConfiguration[] services) => new(services, new LvsTimeouts());

    private static ReconcilePlan Plan(DesiredDirector desired, DirectorConfiguration live, bool prune = false) =>
        ReconcilePlanner.Plan(desired, live, Array.Empty<SyncDaemon>(), prune);

    [Fact]
    public void The_plan_of_a_director_against_itself_is_empty_for_generated_directors()
    {
        DirectorGen.Director.Sample(config =>
        {
            var plan = Plan(DesiredDirector.FromConfiguration(config, withTimeouts: true), config, prune: true);
            Assert.True(plan.InDesiredState, string.Join("; ", plan.Differences.Select(d => d.Description)));
            Assert.Empty(plan.Differences);
        }, iter: 300, seed: Seed, threads: 1);
    }

    [Fact]
    public void Applying_a_plan_then_planning_again_plans_nothing()
    {
        // from any generated director to any other: the planned changes, applied to a model of the director, reach the target
        DirectorGen.Director.Select(DirectorGen.Director).Sample((from, to) =>
        {
            var desired = DesiredDirector.FromConfiguration(to, withTimeouts: true);
            var plan = Plan(desired, from, prune: true);
            var after = Replay(from, plan.Changes);
            Assert.True(Plan(desired, after, prune: true).InDesiredState);
        }, iter: 200, seed: Seed, threads: 1);
    }

    [Fact]
    public void Changes_come_in_order_timeouts_new_services_edits_new_real_servers_edits_health_removals()
    {
        var live = Live(Service(A, "rr", Rs("10.0.0.2"), Rs("10.0.0.3", 2)), Service(B, "rr"));
        var desired = new DesiredDirector
        {
            Timeouts = new LvsTimeouts(100, 0, 0),
            Services = new[]
            {
                new DesiredService(A)
                {
                    Settings = new VirtualServiceSettings { Id = A, Scheduler = "wrr" }, RealServers = new[] { Rs("10.0.0.2", 5), Rs("10.0.0.4") },
                    ManageHealthCheck = true, HealthCheck = new HealthCheckSettings(),
                },
                new DesiredService(VirtualServiceId.Parse("udp/10.0.0.1:53")) { Settings = new VirtualServiceSettings { Id = VirtualServiceId.Parse("udp/10.0.0.1:53") } },
            },
        };
        var kinds = Plan(desired, live, prune: true).Changes.Select(c => c.GetType().Name).ToArray();
        Assert.Equal(new[] { "SetTimeouts", "AddService", "EditService", "AddRealServer", "EditRealServer", "SetHealthCheck", "DeleteRealServer", "DeleteService" }, kinds);
    }

    [Fact]
    public void An_edit_is_an_edit_in_place_never_a_delete_and_add()
    {
        var live = Live(Service(A, "rr", Rs("10.0.0.2")));
        var plan = Plan(new DesiredDirector { Services = new[] { new DesiredService(A) { Settings = new VirtualServiceSettings { Id = A, Scheduler = "wlc" }, RealServers = new[] { Rs("10.0.0.2", 9) } } } }, live);
        Assert.Equal(new[] { "EditService", "EditRealServer" }, plan.Changes.Select(c => c.GetType().Name));
        Assert.Equal(new[] { "LvsPs:VirtualService:Change:Scheduler", "LvsPs:RealServer:Change:Weight" }, plan.Differences.Select(d => d.Code));
    }

    [Fact]
    public void Without_prune_what_the_document_does_not_name_stays_and_with_prune_it_goes()
    {
        var live = Live(Service(A, "rr", Rs("10.0.0.2"), Rs("10.0.0.3")), Service(B, "rr"));
        var desired = new DesiredDirector { Services = new[] { new DesiredService(A) { RealServers = new[] { Rs("10.0.0.2") } } } };
        Assert.True(Plan(desired, live).InDesiredState);
        var pruned = Plan(desired, live, prune: true);
        Assert.Equal(new[] { "DeleteRealServer", "DeleteService" }, pruned.Changes.Select(c => c.GetType().Name));
        Assert.Equal(B, ((DirectorChange.DeleteService)pruned.Changes[1]).Old.Settings.Id);
    }

    [Fact]
    public void Pruning_needs_a_list_of_services_and_Absent_removes_without_prune()
    {
        var live = Live(Service(A, "rr", Rs("10.0.0.2")), Service(B, "rr"));
        Assert.Equal("PruneNeedsServiceList", Assert.Throws<LvsException>(() => Plan(new DesiredDirector { ListsServices = false }, live, prune: true)).ErrorId);
        var absent = Plan(new DesiredDirector { AbsentServices = new[] { B }, AbsentRealServers = new[] { (A, Rs("10.0.0.2").Id) } }, live);
        Assert.Equal(new[] { "DeleteRealServer", "DeleteService" }, absent.Changes.Select(c => c.GetType().Name));
    }

    [Fact]
    public void A_real_server_of_a_service_that_is_not_there_needs_the_service()
    {
        var desired = new DesiredDirector { Services = new[] { new DesiredService(A) { RealServers = new[] { Rs("10.0.0.2") } } } };
        Assert.Equal("VirtualServiceNotFound", Assert.Throws<LvsException>(() => Plan(desired, DirectorConfiguration.Empty)).ErrorId);
    }

    [Fact]
    public void New_real_servers_are_added_oldest_first_so_the_director_lists_them_in_the_documents_order()
    {
        var desired = new DesiredDirector { Services = new[] { new DesiredService(A) { Settings = new VirtualServiceSettings { Id = A }, RealServers = new[] { Rs("10.0.0.2"), Rs("10.0.0.3"), Rs("10.0.0.4") } } } };
        var added = Plan(desired, DirectorConfiguration.Empty).Changes.OfType<DirectorChange.AddRealServer>().Select(a => a.Settings.Id.Address.ToString());
        Assert.Equal(new[] { "10.0.0.4", "10.0.0.3", "10.0.0.2" }, added);
    }

    [Fact]
    public void The_failover_pair_goes_before_the_services_and_pruning_never_leaves_it()
    {
        var pair = new FailoverSettings
        {
            VirtualRouterId = 51, Interface = "eth0", VirtualAddresses = new[] { FailoverAddress.Parse("10.0.0.1/24") },
            Nodes = new[] { new FailoverNode { Name = "lb1", Priority = 150 }, new FailoverNode { Name = "lb2", Priority = 100 } },
        }.Validate();
        var desired = new DesiredDirector
        {
            Services = new[] { new DesiredService(A) { Settings = new VirtualServiceSettings { Id = A } } }, ManageFailover = true, Failover = pair,
        };
        var plan = ReconcilePlanner.Plan(desired, DirectorConfiguration.Empty, Array.Empty<SyncDaemon>(), prune: true);
        Assert.Equal(new[] { "SetFailover", "AddService" }, plan.Changes.Select(c => c.GetType().Name));
        Assert.True(ReconcilePlanner.Plan(desired, Live(Service(A, "wlc")), Array.Empty<SyncDaemon>(), prune: true, liveFailover: pair).InDesiredState);
        // a document without a failover section leaves the pair alone, even when pruning
        Assert.True(ReconcilePlanner.Plan(new DesiredDirector { Services = desired.Services }, Live(Service(A, "wlc")), Array.Empty<SyncDaemon>(), prune: true, liveFailover: pair).InDesiredState);
    }

    [Fact]
    public void Leaving_the_pair_lists_its_sync_daemon_as_removed_and_pruning_never_stops_it()
    {
        var pair = new FailoverSettings
        {
            VirtualRouterId = 51, Interface = "eth0", VirtualAddresses = new[] { FailoverAddress.Parse("10.0.0.1/24") }, ConnectionSync = true,
            Nodes = new[] { new FailoverNode { Name = "lb1", Priority = 150 }, new FailoverNode { Name = "lb2", Priority = 100 } },
        }.Validate();
        var mine = new SyncDaemon { Role = SyncDaemonRole.Backup, Interface = "eth1", SyncId = 200 }; // started by hand
        var daemons = new[] { pair.SyncDaemonFor(SyncDaemonRole.Master), mine };
        var live = Live(Service(A, "wlc"));
        var services = new[] { new DesiredService(A) { Settings = new VirtualServiceSettings { Id = A, Scheduler = "wlc" } } };

        // failover: null leaves the pair; the one change stops the pair's daemon, and -WhatIf / Compare say so
        var leave = ReconcilePlanner.Plan(new DesiredDirector { Services = services, ManageFailover = true, Failover = null }, live, daemons, prune: false, liveFailover: pair);
        Assert.Equal(new[] { "SetFailover" }, leave.Changes.Select(c => c.GetType().Name));
        Assert.Equal(new[] { "Remove the failover pair (vrid 51 on eth0)", "Remove sync daemon Master (eth0 syncid 51)" }, leave.Differences.Select(d => d.Description));
        Assert.All(leave.Differences, d => Assert.Same(leave.Changes[0], d.Change));

        // a changed virtual router id restarts it with the new sync id
        var renumber = ReconcilePlanner.Plan(new DesiredDirector { Services = services, ManageFailover = true, Failover = pair with { VirtualRouterId = 52 } }, live, daemons, prune: false, liveFailover: pair);
        Assert.Equal(new[] { "Change VirtualRouterId of the failover pair from 51 to 52", "Change Settings of sync daemon Master from eth0 syncid 51 to eth0 syncid 52" },
            renumber.Differences.Select(d => d.Description));
        Assert.IsType<DirectorChange.SetFailover>(Assert.Single(renumber.Changes)); // the service restarts the daemon as part of it
        // pruning a document with the pair (or without a failover section) stops the hand-started daemon, never the pair's
        foreach (var desired in new[] { new DesiredDirector { Services = services, ManageFailover = true, Failover = pair }, new DesiredDirector { Services = services } })
        {
            var pruned = ReconcilePlanner.Plan(desired, live, daemons, prune: true, liveFailover: pair);
            Assert.Equal(new[] { "Remove sync daemon Backup (eth1)" }, pruned.Differences.Select(d => d.Description));
            Assert.Equal(mine, Assert.IsType<DirectorChange.StopSyncDaemon>(Assert.Single(pruned.Changes)).Old);
        }
    }

    /// <summary>The changes applied to a captured configuration, as a director applies them (ipvsadm semantics, new real servers at the head).</summary>
    private static DirectorConfiguration Replay(DirectorConfiguration live, IReadOnlyList<DirectorChange> changes)
    {
        var services = live.Services.ToList();
        var timeouts = live.Timeouts;
        int Find(VirtualServiceId id) => services.FindIndex(s => s.Settings.Id.Equals(id));
        foreach (var change in changes)
        {
            switch (change)
            {
                case DirectorChange.SetTimeouts t: timeouts = timeouts.Merge(t.New); break;
                case DirectorChange.AddService a: services.Add(new ServiceConfiguration(a.Settings, Array.Empty<RealServerSettings>())); break;
                case DirectorChange.EditService e: services[Find(e.New.Id)] = services[Find(e.New.Id)] with { Settings = e.New }; break;
                case DirectorChange.DeleteService d: services.RemoveAt(Find(d.Old.Settings.Id)); break;
                case DirectorChange.AddRealServer a:
                    services[Find(a.Service)] = services[Find(a.Service)] with { RealServers = services[Find(a.Service)].RealServers.Prepend(a.Settings).ToArray() };
                    break;
                case DirectorChange.EditRealServer e:
                    services[Find(e.Service)] = services[Find(e.Service)] with { RealServers = services[Find(e.Service)].RealServers.Select(r => r.Id == e.New.Id ? e.New : r).ToArray() };
                    break;
                case DirectorChange.DeleteRealServer d:
                    services[Find(d.Service)] = services[Find(d.Service)] with { RealServers = services[Find(d.Service)].RealServers.Where(r => r.Id != d.Old.Id).ToArray() };
                    break;
                case DirectorChange.SetHealthCheck h:
                    services[Find(h.Service)] = services[Find(h.Service)] with { HealthCheck = h.NewCheck, SorryServer = h.NewSorryServer };
                    break;
                default: throw new InvalidOperationException($"a change the replay does not know: {change.GetType().Name}");
            }
        }
        return new DirectorConfiguration(services, timeouts);
    }
}
