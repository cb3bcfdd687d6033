using LvsPs.Model.Failover;
using LvsPs.Model.Health;

namespace LvsPs.Model;

/// <summary>
/// One change in a set applied together (Import-LvsConfiguration, ipvsadm -R, a desired-state reconcile): a virtual
/// service or real server to add, edit in place or delete, timeouts, a health check, a sync daemon. Edits and
/// deletions carry the state they replace, so a failed set can be undone.
/// </summary>
public abstract record DirectorChange
{
    private DirectorChange() { }

    /// <summary>Adds a virtual service (ipvsadm -A).</summary>
    public sealed record AddService(VirtualServiceSettings Settings) : DirectorChange;

    /// <summary>Adds a real server (ipvsadm -a).</summary>
    public sealed record AddRealServer(VirtualServiceId Service, RealServerSettings Settings) : DirectorChange;

    /// <summary>Changes a virtual service's settings in place (ipvsadm -E); its real servers and connections stay.</summary>
    public sealed record EditService(VirtualServiceSettings Old, VirtualServiceSettings New) : DirectorChange;

    /// <summary>Changes a real server in place (ipvsadm -e): established connections continue.</summary>
    public sealed record EditRealServer(VirtualServiceId Service, RealServerSettings Old, RealServerSettings New) : DirectorChange;

    /// <summary>Removes a real server (ipvsadm -d).</summary>
    public sealed record DeleteRealServer(VirtualServiceId Service, RealServerSettings Old) : DirectorChange;

    /// <summary>Deletes a virtual service (ipvsadm -D) with its real servers.</summary>
    public sealed record DeleteService(ServiceConfiguration Old) : DirectorChange;

    /// <summary>Sets timeouts (ipvsadm --set); a 0 field of <paramref name="New"/> leaves that timeout as it is.</summary>
    public sealed record SetTimeouts(LvsTimeouts Old, LvsTimeouts New) : DirectorChange;

    /// <summary>Sets, changes or (with nulls) removes a service's health check and sorry server.</summary>
    public sealed record SetHealthCheck(VirtualServiceId Service, HealthCheckSettings? OldCheck, RealServerSettings? OldSorryServer,
        HealthCheckSettings? NewCheck, RealServerSettings? NewSorryServer) : DirectorChange;

    /// <summary>Starts a sync daemon (ipvsadm --start-daemon).</summary>
    public sealed record StartSyncDaemon(SyncDaemon Daemon) : DirectorChange;

    /// <summary>Stops a sync daemon (ipvsadm --stop-daemon).</summary>
    public sealed record StopSyncDaemon(SyncDaemon Old) : DirectorChange;

    /// <summary>Joins, changes or (with null) leaves a failover pair (docs/high-availability.md).</summary>
    public sealed record SetFailover(FailoverSettings? Old, FailoverSettings? New) : DirectorChange;

    /// <summary>Starts, changes or (with null) stops announcing the virtual services over BGP (docs/high-availability.md).</summary>
    public sealed record SetBgp(BgpSettings? Old, BgpSettings? New) : DirectorChange;

    /// <summary>
    /// Applies <paramref name="changes"/> in order on any backend, all or nothing: when one fails, the ones already
    /// applied are undone (newest first) and the failure is rethrown. A backend that implements
    /// <see cref="IDirectorBatch"/> applies a set of additions itself, faster. <paramref name="progress"/>, when given,
    /// is called after each change with the number applied so far.
    /// </summary>
    public static void ApplyAll(IDirectorBackend director, IReadOnlyList<DirectorChange> changes, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(director);
        ArgumentNullException.ThrowIfNull(changes);
        if (director is IDirectorBatch { TakesBatches: true } batch && changes.All(c => c is AddService or AddRealServer))
        {
            batch.Apply(changes);
            progress?.Invoke(changes.Count);
            return;
        }
        var done = new Stack<DirectorChange>();
        try
        {
            foreach (var change in changes)
            {
                Apply(director, change);
                done.Push(change);
                progress?.Invoke(done.Count);
            }
        }
        catch (LvsException)
        {
            while (done.Count > 0)
            {
                try
                {
                    Undo(director, done.Pop());
                }
                catch (LvsException)
                {
                    // already gone (a deleted service takes its real servers with it)
                }
            }
            throw;
        }
    }

    /// <summary>Applies one change.</summary>
    public static void Apply(IDirectorBackend director, DirectorChange change)
    {
        switch (change)
        {
            case AddService s: director.AddService(s.Settings); break;
            case AddRealServer r: director.AddRealServer(r.Service, r.Settings); break;
            case EditService e: director.EditService(e.New); break;
            case EditRealServer e: director.EditRealServer(e.Service, e.New); break;
            case DeleteRealServer d: director.DeleteRealServer(d.Service, d.Old.Id); break;
            case DeleteService d: director.DeleteService(d.Old.Settings.Id); break;
            case SetTimeouts t: director.SetTimeouts(t.New); break;
            case SetHealthCheck h: Monitoring(director).SetHealthCheck(h.Service, h.NewCheck, h.NewSorryServer); break;
            case StartSyncDaemon s: director.StartSyncDaemon(s.Daemon); break;
            case StopSyncDaemon s: director.StopSyncDaemon(s.Old.Role); break;
            case SetFailover f: FailoverOf(director).SetFailover(f.New); break;
            case SetBgp b: BgpOf(director).SetBgp(b.New); break;
            default: throw new ArgumentOutOfRangeException(nameof(change), change, "Unknown director change.");
        }
    }

    private static void Undo(IDirectorBackend director, DirectorChange change)
    {
        switch (change)
        {
            case AddService s: director.DeleteService(s.Settings.Id); break;
            case AddRealServer r: director.DeleteRealServer(r.Service, r.Settings.Id); break;
            case EditService e: director.EditService(e.Old); break;
            case EditRealServer e: director.EditRealServer(e.Service, e.Old); break;
            case DeleteRealServer d: director.AddRealServer(d.Service, d.Old); break;
            case DeleteService d:
                director.AddService(d.Old.Settings);
                foreach (var rs in d.Old.RealServers.Reverse()) director.AddRealServer(d.Old.Settings.Id, rs);
                if ((d.Old.HealthCheck is not null || d.Old.SorryServer is not null) && director is IHealthMonitoring m)
                {
                    m.SetHealthCheck(d.Old.Settings.Id, d.Old.HealthCheck, d.Old.SorryServer);
                }
                break;
            case SetTimeouts t: director.SetTimeouts(t.Old); break;
            case SetHealthCheck h: Monitoring(director).SetHealthCheck(h.Service, h.OldCheck, h.OldSorryServer); break;
            case StartSyncDaemon s: director.StopSyncDaemon(s.Daemon.Role); break;
            case StopSyncDaemon s: director.StartSyncDaemon(s.Old); break;
            case SetFailover f: FailoverOf(director).SetFailover(f.Old); break;
            case SetBgp b: BgpOf(director).SetBgp(b.Old); break;
        }
    }

    /// <summary>The director's failover capability, or the error that says where failover runs.</summary>
    public static IFailoverControl FailoverOf(IDirectorBackend director) => director as IFailoverControl ?? throw LvsException.NotSupported(
        "FailoverNotAvailable",
        "This director cannot join a failover pair: failover runs in a director service (Start-LvsDirector -Service, or the systemd unit), which drives keepalived.");

    /// <summary>The director's BGP capability, or the error that says where BGP announcements run.</summary>
    public static IBgpControl BgpOf(IDirectorBackend director) => director as IBgpControl ?? throw LvsException.NotSupported(
        "BgpNotAvailable",
        "This director cannot announce routes over BGP: a scale-out group runs in director services (Start-LvsDirector -Service, or the systemd unit), which drive BIRD.");

    private static IHealthMonitoring Monitoring(IDirectorBackend director) => director as IHealthMonitoring ?? throw LvsException.NotSupported(
        "HealthChecksNotAvailable",
        "This director runs no health checks; use the in-session managed director or a director service (Start-LvsDirector -Service), which can also drive kernel IPVS.");
}
