using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Configuration;

/// <summary>The differences between a desired state and a director, and the fewest director changes that remove them.</summary>
public sealed class ReconcilePlan
{
    public ReconcilePlan(IReadOnlyList<ConfigurationChange> differences, IReadOnlyList<DirectorChange> changes)
    {
        Differences = differences;
        Changes = changes;
    }

    public IReadOnlyList<ConfigurationChange> Differences { get; }

    /// <summary>In the order they are applied: timeouts, new services, edits, new real servers, edits, removals.</summary>
    public IReadOnlyList<DirectorChange> Changes { get; }

    public bool InDesiredState => Changes.Count == 0;
}

/// <summary>
/// The reconcile planner that Import-LvsConfiguration, Compare-LvsConfiguration, the DSC class resources and the DSC v3
/// commands share. It compares a desired state with what the director is configured to do
/// (<see cref="DirectorConfiguration.Capture"/>) and plans the fewest changes: a changed weight, threshold, forwarding
/// method or scheduler is an edit in place (ipvsadm -e / -E), never a delete and re-add, so established connections
/// survive. Services and real servers the desired state does not name are removed only when pruning.
/// </summary>
public static class ReconcilePlanner
{
    /// <summary>Plans against a live director.</summary>
    public static ReconcilePlan Plan(DesiredDirector desired, IDirectorBackend director, bool prune)
    {
        ArgumentNullException.ThrowIfNull(director);
        var live = DirectorConfiguration.Capture(director);
        // the failover pair's own sync daemons: reported when the pair is left or its sync values change, never pruned
        var daemons = desired.SyncDaemons is null && !prune && !desired.ManageFailover ? Array.Empty<SyncDaemon>() : director.GetSyncDaemons();
        var failover = desired.ManageFailover || prune ? (director as Model.Failover.IFailoverControl)?.GetFailover() : null;
        var bgp = desired.ManageBgp ? (director as Model.Failover.IBgpControl)?.GetBgp() : null;
        return Plan(desired, live, daemons, prune, failover, bgp);
    }

    /// <summary>
    /// Plans and applies, all or nothing (a failure undoes what was applied). <paramref name="progress"/> gets
    /// (applied, total) after each change.
    /// </summary>
    public static ReconcilePlan Apply(DesiredDirector desired, IDirectorBackend director, bool prune, Action<int, int>? progress = null)
    {
        var plan = Plan(desired, director, prune);
        if (!plan.InDesiredState)
        {
            DirectorChange.ApplyAll(director, plan.Changes, progress is null ? null : n => progress(n, plan.Changes.Count));
        }
        return plan;
    }

    /// <summary>
    /// Plans against a captured configuration. <paramref name="liveFailover"/> is the director's failover settings, read
    /// when the desired state has a failover section or prunes; pruning never takes a director out of its pair, nor
    /// stops a sync daemon the pair owns (<see cref="Model.Failover.FailoverSettings.Owns"/>). Leaving the pair or
    /// changing its sync values lists the pair's sync daemons it stops or restarts, as part of the one failover change.
    /// </summary>
    public static ReconcilePlan Plan(DesiredDirector desired, DirectorConfiguration live, IReadOnlyList<SyncDaemon> liveDaemons, bool prune,
        Model.Failover.FailoverSettings? liveFailover = null, Model.Failover.BgpSettings? liveBgp = null)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        if (prune && !desired.ListsServices)
        {
            throw LvsException.InvalidArgument("PruneNeedsServiceList",
                "Pruning needs a document with a 'virtualServices' list: this one has none, and pruning with it would remove every virtual service. List the services to keep, or write 'virtualServices: []' to remove them all.", desired);
        }
        var diffs = new List<ConfigurationChange>();
        var timeouts = new List<DirectorChange>();
        var addServices = new List<DirectorChange>();
        var editServices = new List<DirectorChange>();
        var addReal = new List<DirectorChange>();
        var editReal = new List<DirectorChange>();
        var health = new List<DirectorChange>();
        var deleteReal = new List<DirectorChange>();
        var deleteServices = new List<DirectorChange>();
        var sync = new List<DirectorChange>();

        // timeouts: only the ones given
        if (desired.Timeouts is { } t)
        {
            var merged = live.Timeouts.Merge(t);
            if (merged != live.Timeouts)
            {
                var change = new DirectorChange.SetTimeouts(live.Timeouts, t);
                timeouts.Add(change);
                void Diff(string name, uint from, uint to)
                {
                    if (from != to) diffs.Add(new() { Action = ChangeAction.Change, Target = ChangeTarget.Timeouts, Property = name, From = from, To = to, Change = change });
                }
                Diff("Tcp", live.Timeouts.Tcp, merged.Tcp);
                Diff("TcpFin", live.Timeouts.TcpFin, merged.TcpFin);
                Diff("Udp", live.Timeouts.Udp, merged.Udp);
            }
        }

        var liveServices = live.Services.ToDictionary(s => s.Settings.Id);
        var named = new HashSet<VirtualServiceId>();
        foreach (var ds in desired.Services)
        {
            named.Add(ds.Id);
            if (!liveServices.TryGetValue(ds.Id, out var ls))
            {
                if (ds.Settings is null) throw LvsException.ServiceNotFound(ds.Id);
                var add = new DirectorChange.AddService(ds.Settings);
                addServices.Add(add);
                diffs.Add(new() { Action = ChangeAction.Add, Target = ChangeTarget.VirtualService, ServiceId = ds.Id, To = ds.Settings.Scheduler, Change = add });
                // oldest first, so the director lists them in the document's order (new real servers go to the head)
                foreach (var rs in ds.RealServers.Reverse())
                {
                    var addRs = new DirectorChange.AddRealServer(ds.Id, rs);
                    addServices.Add(addRs);
                    diffs.Add(RealServerAdded(ds.Id, rs, addRs));
                }
                if (ds.ManageHealthCheck && (ds.HealthCheck is not null || ds.SorryServer is not null))
                {
                    var set = new DirectorChange.SetHealthCheck(ds.Id, null, null, ds.HealthCheck, ds.SorryServer);
                    addServices.Add(set);
                    diffs.Add(new() { Action = ChangeAction.Add, Target = ChangeTarget.HealthCheck, ServiceId = ds.Id, To = ds.HealthCheck?.Type.ToString() ?? "sorry server", Change = set });
                }
                continue;
            }

            if (ds.Settings is { } want)
            {
                var serviceDiffs = ServiceDifferences(ls.Settings, want);
                if (serviceDiffs.Count > 0)
                {
                    var edit = new DirectorChange.EditService(ls.Settings, want);
                    editServices.Add(edit);
                    foreach (var (name, from, to) in serviceDiffs)
                    {
                        diffs.Add(new() { Action = ChangeAction.Change, Target = ChangeTarget.VirtualService, ServiceId = ds.Id, Property = name, From = from, To = to, Change = edit });
                    }
                }
            }

            var liveReal = ls.RealServers.ToDictionary(r => r.Id);
            var wanted = new HashSet<RealServerId>();
            foreach (var rs in ds.RealServers.Reverse())
            {
                wanted.Add(rs.Id);
                if (!liveReal.TryGetValue(rs.Id, out var current))
                {
                    var addRs = new DirectorChange.AddRealServer(ds.Id, rs);
                    addReal.Add(addRs);
                    diffs.Add(RealServerAdded(ds.Id, rs, addRs));
                    continue;
                }
                var rsDiffs = RealServerDifferences(current, rs);
                if (rsDiffs.Count == 0) continue;
                var edit = new DirectorChange.EditRealServer(ds.Id, current, rs);
                editReal.Add(edit);
                foreach (var (name, from, to) in rsDiffs)
                {
                    diffs.Add(new() { Action = ChangeAction.Change, Target = ChangeTarget.RealServer, ServiceId = ds.Id, RealServer = rs.Id.ToString(), Property = name, From = from, To = to, Change = edit });
                }
            }
            if (prune)
            {
                foreach (var rs in ls.RealServers.Where(r => !wanted.Contains(r.Id)))
                {
                    var del = new DirectorChange.DeleteRealServer(ds.Id, rs);
                    deleteReal.Add(del);
                    diffs.Add(RealServerRemoved(ds.Id, rs, del));
                }
            }

            bool manage = ds.ManageHealthCheck || (prune && (ls.HealthCheck is not null || ls.SorryServer is not null));
            if (manage && (!Equals(ls.HealthCheck, ds.HealthCheck) || !SameSorry(ls.SorryServer, ds.SorryServer)))
            {
                var set = new DirectorChange.SetHealthCheck(ds.Id, ls.HealthCheck, ls.SorryServer, ds.HealthCheck, ds.SorryServer);
                health.Add(set);
                var action = ls.HealthCheck is null && ls.SorryServer is null ? ChangeAction.Add
                    : ds.HealthCheck is null && ds.SorryServer is null ? ChangeAction.Remove : ChangeAction.Change;
                if (action == ChangeAction.Change)
                {
                    if (!Equals(ls.HealthCheck, ds.HealthCheck))
                    {
                        diffs.Add(new() { Action = action, Target = ChangeTarget.HealthCheck, ServiceId = ds.Id, Property = "HealthCheck", From = Show(ls.HealthCheck), To = Show(ds.HealthCheck), Change = set });
                    }
                    if (!SameSorry(ls.SorryServer, ds.SorryServer))
                    {
                        diffs.Add(new() { Action = action, Target = ChangeTarget.HealthCheck, ServiceId = ds.Id, Property = "SorryServer", From = ls.SorryServer?.Id.ToString(), To = ds.SorryServer?.Id.ToString(), Change = set });
                    }
                }
                else
                {
                    diffs.Add(new()
                    {
                        Action = action, Target = ChangeTarget.HealthCheck, ServiceId = ds.Id,
                        From = action == ChangeAction.Remove ? Show(ls.HealthCheck) : null, To = action == ChangeAction.Add ? Show(ds.HealthCheck) : null, Change = set,
                    });
                }
            }
        }

        foreach (var (service, realServer) in desired.AbsentRealServers)
        {
            if (liveServices.TryGetValue(service, out var ls) && ls.RealServers.FirstOrDefault(r => r.Id == realServer) is { } rs &&
                !deleteReal.OfType<DirectorChange.DeleteRealServer>().Any(d => d.Service.Equals(service) && d.Old.Id == realServer))
            {
                var del = new DirectorChange.DeleteRealServer(service, rs);
                deleteReal.Add(del);
                diffs.Add(RealServerRemoved(service, rs, del));
            }
        }

        foreach (var ls in live.Services)
        {
            var id = ls.Settings.Id;
            if ((prune && !named.Contains(id)) || (desired.AbsentServices.Contains(id) && !named.Contains(id)))
            {
                var del = new DirectorChange.DeleteService(ls);
                deleteServices.Add(del);
                diffs.Add(new() { Action = ChangeAction.Remove, Target = ChangeTarget.VirtualService, ServiceId = id, From = ls.Settings.Scheduler, Change = del });
            }
        }

        if (desired.SyncDaemons is { } daemons)
        {
            foreach (var want in daemons)
            {
                var current = liveDaemons.FirstOrDefault(d => d.Role == want.Role);
                if (current is not null && SameDaemon(current, want)) continue;
                if (current is not null)
                {
                    var stop = new DirectorChange.StopSyncDaemon(current);
                    sync.Add(stop);
                }
                var start = new DirectorChange.StartSyncDaemon(want);
                sync.Add(start);
                diffs.Add(current is null
                    ? new() { Action = ChangeAction.Add, Target = ChangeTarget.SyncDaemon, RealServer = want.Role.ToString(), To = want.Interface, Change = start }
                    : new() { Action = ChangeAction.Change, Target = ChangeTarget.SyncDaemon, RealServer = want.Role.ToString(), Property = "Settings", From = ShowDaemon(current), To = ShowDaemon(want), Change = start });
            }
        }
        if (prune)
        {
            // a sync daemon the failover pair owns is the pair's to run and stop (docs/high-availability.md), not the document's
            bool Paired(SyncDaemon d) => liveFailover?.Owns(d) == true || (desired.ManageFailover && desired.Failover?.Owns(d) == true);
            foreach (var current in liveDaemons.Where(d => (desired.SyncDaemons is null || desired.SyncDaemons.All(w => w.Role != d.Role)) && !Paired(d)))
            {
                var stop = new DirectorChange.StopSyncDaemon(current);
                sync.Insert(0, stop);
                diffs.Add(new() { Action = ChangeAction.Remove, Target = ChangeTarget.SyncDaemon, RealServer = current.Role.ToString(), From = current.Interface, Change = stop });
            }
        }

        // the failover pair goes first: a backup listens on the pair's VIPs only once it knows them (IP_FREEBIND)
        var pair = new List<DirectorChange>();
        if (desired.ManageFailover) PlanFailover(liveFailover, desired.Failover, liveDaemons, diffs, pair);
        if (desired.ManageBgp) PlanBgp(liveBgp, desired.Bgp, diffs, sync);

        var changes = timeouts.Concat(pair).Concat(addServices).Concat(editServices).Concat(addReal).Concat(editReal).Concat(health)
            .Concat(deleteReal).Concat(deleteServices).Concat(sync).ToList();
        return new ReconcilePlan(diffs, changes);
    }

    private static void PlanFailover(Model.Failover.FailoverSettings? live, Model.Failover.FailoverSettings? want, IReadOnlyList<SyncDaemon> liveDaemons,
        List<ConfigurationChange> diffs, List<DirectorChange> changes)
    {
        if (live is null && want is null) return;
        var change = new DirectorChange.SetFailover(live, want);
        if (live is null)
        {
            diffs.Add(new() { Action = ChangeAction.Add, Target = ChangeTarget.Failover, To = $"vrid {want!.VirtualRouterId} on {want.Interface}", Change = change });
        }
        else if (want is null)
        {
            diffs.Add(new() { Action = ChangeAction.Remove, Target = ChangeTarget.Failover, From = $"vrid {live.VirtualRouterId} on {live.Interface}", Change = change });
        }
        else
        {
            var differences = live.Differences(want);
            if (differences.Count == 0) return;
            foreach (var (key, from, to) in differences)
            {
                diffs.Add(new() { Action = ChangeAction.Change, Target = ChangeTarget.Failover, Property = char.ToUpperInvariant(key[0]) + key[1..], From = from, To = to, Change = change });
            }
        }
        // the director service stops (or restarts with the new values) the sync daemons the pair owns, as part of the same change
        if (live is not null)
        {
            foreach (var (old, now) in live.SyncDaemonChanges(want, liveDaemons))
            {
                diffs.Add(now is null
                    ? new() { Action = ChangeAction.Remove, Target = ChangeTarget.SyncDaemon, RealServer = old.Role.ToString(), From = ShowDaemon(old), Change = change }
                    : new() { Action = ChangeAction.Change, Target = ChangeTarget.SyncDaemon, RealServer = old.Role.ToString(), Property = "Settings", From = ShowDaemon(old), To = ShowDaemon(now), Change = change });
            }
        }
        changes.Add(change);
    }

    private static void PlanBgp(Model.Failover.BgpSettings? live, Model.Failover.BgpSettings? want, List<ConfigurationChange> diffs, List<DirectorChange> changes)
    {
        if (live is null && want is null) return;
        var change = new DirectorChange.SetBgp(live, want);
        if (live is null) diffs.Add(new() { Action = ChangeAction.Add, Target = ChangeTarget.Bgp, To = $"as {want!.As} to {string.Join(", ", want.Neighbors.Select(n => n.Address))}", Change = change });
        else if (want is null) diffs.Add(new() { Action = ChangeAction.Remove, Target = ChangeTarget.Bgp, From = $"as {live.As}", Change = change });
        else
        {
            var differences = live.Differences(want);
            if (differences.Count == 0) return;
            foreach (var (key, from, to) in differences)
            {
                diffs.Add(new() { Action = ChangeAction.Change, Target = ChangeTarget.Bgp, Property = char.ToUpperInvariant(key[0]) + key[1..], From = from, To = to, Change = change });
            }
        }
        changes.Add(change);
    }

    private static ConfigurationChange RealServerAdded(VirtualServiceId service, RealServerSettings rs, DirectorChange change) => new()
    {
        Action = ChangeAction.Add, Target = ChangeTarget.RealServer, ServiceId = service, RealServer = rs.Id.ToString(),
        To = $"{rs.Forwarding} weight {rs.Weight}", Change = change,
    };

    private static ConfigurationChange RealServerRemoved(VirtualServiceId service, RealServerSettings rs, DirectorChange change) => new()
    {
        Action = ChangeAction.Remove, Target = ChangeTarget.RealServer, ServiceId = service, RealServer = rs.Id.ToString(),
        From = $"{rs.Forwarding} weight {rs.Weight}", Change = change,
    };

    /// <summary>The properties in which a live service's settings differ from the wanted ones.</summary>
    public static List<(string Name, object? From, object? To)> ServiceDifferences(VirtualServiceSettings live, VirtualServiceSettings want)
    {
        var list = new List<(string, object?, object?)>();
        if (!string.Equals(live.Scheduler, want.Scheduler, StringComparison.Ordinal)) list.Add(("Scheduler", live.Scheduler, want.Scheduler));
        if (live.PersistenceTimeout != want.PersistenceTimeout) list.Add(("PersistenceTimeout", live.PersistenceTimeout, want.PersistenceTimeout));
        if (live.EffectiveNetmask != want.EffectiveNetmask)
        {
            list.Add(("PersistenceNetmask", NetmaskText.Format(live.EffectiveNetmask, live.Id.AddressFamily), NetmaskText.Format(want.EffectiveNetmask, want.Id.AddressFamily)));
        }
        if (live.OnePacket != want.OnePacket) list.Add(("OnePacket", live.OnePacket, want.OnePacket));
        if (live.SchedulerFlags != want.SchedulerFlags) list.Add(("SchedulerFlags", live.SchedulerFlags, want.SchedulerFlags));
        if ((live.PersistenceEngine ?? "") != (want.PersistenceEngine ?? "")) list.Add(("PersistenceEngine", live.PersistenceEngine ?? "", want.PersistenceEngine ?? ""));
        if (live.Helper != want.Helper) list.Add(("Helper", live.Helper, want.Helper));
        if (live.SendProxy != want.SendProxy) list.Add(("SendProxy", live.SendProxy, want.SendProxy));
        if (live.AcceptProxy != want.AcceptProxy) list.Add(("AcceptProxy", live.AcceptProxy, want.AcceptProxy));
        if (live.Transparent != want.Transparent) list.Add(("Transparent", live.Transparent, want.Transparent));
        if (!live.ContentRules.SequenceEqual(want.ContentRules))
        {
            list.Add(("ContentRules", string.Join("; ", live.ContentRules), string.Join("; ", want.ContentRules)));
        }
        if ((live.DefaultGroup ?? "") != (want.DefaultGroup ?? "")) list.Add(("DefaultGroup", live.DefaultGroup ?? "", want.DefaultGroup ?? ""));
        return list;
    }

    /// <summary>The properties in which a live real server differs from the wanted one (tunnel options only for tunnels).</summary>
    public static List<(string Name, object? From, object? To)> RealServerDifferences(RealServerSettings live, RealServerSettings want)
    {
        var list = new List<(string, object?, object?)>();
        if (live.Forwarding != want.Forwarding) list.Add(("Forwarding", live.Forwarding, want.Forwarding));
        if (live.Weight != want.Weight) list.Add(("Weight", live.Weight, want.Weight));
        if (live.UpperThreshold != want.UpperThreshold) list.Add(("UpperThreshold", live.UpperThreshold, want.UpperThreshold));
        if (live.LowerThreshold != want.LowerThreshold) list.Add(("LowerThreshold", live.LowerThreshold, want.LowerThreshold));
        if (live.SendProxy != want.SendProxy) list.Add(("SendProxy", live.SendProxy?.ToString() ?? "Inherit", want.SendProxy?.ToString() ?? "Inherit"));
        if (live.Group != want.Group) list.Add(("Group", live.Group ?? "", want.Group ?? ""));
        if (want.Forwarding == ForwardingMethod.Tunnel)
        {
            if (live.TunnelType != want.TunnelType) list.Add(("TunnelType", live.TunnelType, want.TunnelType));
            if (live.TunnelPort != want.TunnelPort) list.Add(("TunnelPort", live.TunnelPort, want.TunnelPort));
            if (live.TunnelFlags != want.TunnelFlags) list.Add(("TunnelFlags", live.TunnelFlags, want.TunnelFlags));
        }
        return list;
    }

    private static bool SameSorry(RealServerSettings? a, RealServerSettings? b) =>
        a is null ? b is null : b is not null && a.Id == b.Id && RealServerDifferences(a, b).Count == 0;

    private static bool SameDaemon(SyncDaemon a, SyncDaemon b) =>
        a.Interface == b.Interface && a.SyncId == b.SyncId && (b.MaxLength == 0 || a.MaxLength == b.MaxLength) &&
        (b.Group is null || Equals(a.Group, b.Group)) && (b.Port == 0 || a.Port == b.Port) && (b.Ttl == 0 || a.Ttl == b.Ttl);

    private static string? Show(HealthCheckSettings? c) => c is null ? null
        : $"{c.Type}{(c.Port is { } p ? $" port {p}" : "")} every {c.IntervalSeconds} s, timeout {c.TimeoutSeconds} s, {c.FailureAction} after {c.Retries}";

    private static string ShowDaemon(SyncDaemon d) => $"{d.Interface} syncid {d.SyncId}";
}
