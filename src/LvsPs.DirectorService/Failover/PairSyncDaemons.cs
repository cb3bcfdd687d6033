using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.DirectorService.Failover;

/// <summary>
/// The IPVS connection sync daemons of a failover pair with connectionSync (kernel backend), and only those: the daemon
/// follows the node's role (the master sends, every other node receives), is restarted when the pair's sync values
/// change, and is stopped when the pair is left or connectionSync is turned off. A daemon the pair does not own
/// (<see cref="FailoverSettings.Owns"/>: another interface or sync id, started with Start-LvsSyncDaemon) is never
/// stopped. One lock orders every step, so a role change reported while the pair is being left cannot start a daemon
/// for settings that are gone.
/// </summary>
internal sealed class PairSyncDaemons(IDirectorBackend director, Action<string> log)
{
    private readonly object _gate = new();
    private FailoverSettings? _settings;
    private FailoverRole _role = FailoverRole.Standalone;
    private string? _problem;

    /// <summary>Why the pair's sync daemon does not run as it should, or null.</summary>
    public string? Problem
    {
        get
        {
            lock (_gate) return _problem;
        }
    }

    /// <summary>
    /// The pair's settings are now <paramref name="settings"/> (null: the director left the pair): the daemons the old
    /// settings own and the new ones do not are stopped, and with connectionSync the daemon of the current role runs with
    /// the new values. <paramref name="running"/> false: only remember them (a restored pair; the daemon follows the
    /// first role keepalived reports).
    /// </summary>
    public void Use(FailoverSettings? settings, bool running = true)
    {
        lock (_gate)
        {
            var old = _settings;
            _settings = settings;
            if (settings is null) _role = FailoverRole.Standalone;
            if (!running) return;
            try
            {
                if (old is not null)
                {
                    foreach (var (daemon, _) in old.SyncDaemonChanges(settings, director.GetSyncDaemons()))
                    {
                        director.StopSyncDaemon(daemon.Role);
                        log(settings is null
                            ? $"left the failover pair: stopped its connection sync daemon ({FailoverSettings.Show(daemon)})"
                            : $"the failover pair's sync values changed: stopped its connection sync daemon ({FailoverSettings.Show(daemon)})");
                    }
                }
                _problem = null;
                FollowLocked();
            }
            catch (LvsException e)
            {
                _problem = $"connectionSync: {e.Message}";
                log($"connectionSync: {e.Message}");
            }
        }
    }

    /// <summary>The node's role is now <paramref name="role"/>: with connectionSync, the pair's daemon runs in the matching role.</summary>
    public void Follow(FailoverRole role)
    {
        lock (_gate)
        {
            _role = role;
            try
            {
                FollowLocked();
            }
            catch (LvsException e)
            {
                _problem = $"connectionSync: {e.Message}";
                log($"connectionSync: could not run the sync daemon for role {role}: {e.Message}");
            }
        }
    }

    private void FollowLocked()
    {
        if (_settings is not { ConnectionSync: true } settings || _role == FailoverRole.Standalone) return;
        var want = _role == FailoverRole.Master ? SyncDaemonRole.Master : SyncDaemonRole.Backup;
        var other = want == SyncDaemonRole.Master ? SyncDaemonRole.Backup : SyncDaemonRole.Master;
        var running = director.GetSyncDaemons();
        // the kernel runs one daemon per role; the pair's own daemon of the other role goes, anyone else's stays
        if (running.FirstOrDefault(d => d.Role == other) is { } stale && settings.Owns(stale))
        {
            director.StopSyncDaemon(other);
        }
        var current = running.FirstOrDefault(d => d.Role == want);
        if (current is null)
        {
            director.StartSyncDaemon(settings.SyncDaemonFor(want));
            log($"connection sync daemon now runs as {want}");
        }
        else if (!settings.Owns(current))
        {
            var problem = $"connectionSync: a {want} sync daemon that is not the pair's runs ({FailoverSettings.Show(current)}), and the kernel runs one " +
                $"per role, so the pair's ({FailoverSettings.Show(settings.SyncDaemonFor(want))}) cannot start; stop it with 'Stop-LvsSyncDaemon -Role {want}'.";
            if (_problem != problem) log(problem);
            _problem = problem;
            return;
        }
        _problem = null;
    }
}
