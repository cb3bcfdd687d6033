using LvsPs.Interop;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.DirectorService.Failover;

/// <summary>
/// Drives keepalived as this director's VRRP speaker: writes its configuration, runs it as a child, learns every role
/// change from its notify FIFO, and with connectionSync runs the kernel's connection sync daemon in the matching role.
/// The settings are kept (and saved by the service) even when keepalived cannot run; a supervisor thread starts it as
/// soon as it can and restarts it when it ends.
/// </summary>
internal sealed class FailoverController : IFailoverControl, IBgpControl, IDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly Func<string, string?> _findTool;
    private readonly object _gate = new();
    private readonly string _node;
    private readonly IDirectorBackend _director;
    private readonly Action<string> _log;
    private readonly string _dir, _config, _fifo;
    private readonly ChildSupervisor _supervisor;
    private FailoverSettings? _settings;
    private bool _suspended, _configChanged, _disposed, _fifoReady;
    private Thread? _reader;
    private FailoverStatus _status = new();
    private readonly PairSyncDaemons _sync;
    private readonly BirdSpeaker _bgp;

    /// <param name="runtimeDirectory">A folder of this service's own (created 0700) for keepalived's configuration, pid files and FIFO.</param>
    /// <param name="node">This director's node name in the pair.</param>
    /// <param name="director">The director the service hosts (for the connection sync daemon).</param>
    /// <param name="log">The service's log.</param>
    /// <param name="findTool">Finds keepalived (tests: a host without it); by default <see cref="ExternalTool.Find"/>.</param>
    public FailoverController(string runtimeDirectory, string node, IDirectorBackend director, Action<string> log, Func<string, string?>? findTool = null)
    {
        _findTool = findTool ?? ExternalTool.Find;
        _node = node;
        _director = director;
        _log = log;
        _dir = runtimeDirectory;
        _config = Path.Combine(_dir, "keepalived.conf");
        _fifo = Path.Combine(_dir, "keepalived.fifo");
        _sync = new PairSyncDaemons(director, log);
        // keepalived is started from this one long-lived thread: its parent-death signal is tied to the thread that forked it
        _bgp = new BirdSpeaker(runtimeDirectory, node, director, log);
        _supervisor = new ChildSupervisor("lvsps keepalived supervisor", Step, Ended, e => SetProblem(e.Message, FailoverRole.Fault));
        _supervisor.Start();
    }

    /// <summary>Raised after each role change keepalived reports (the BGP speaker follows it).</summary>
    public event Action<FailoverRole>? RoleChanged;

    /// <summary>Applies saved settings at start; a setting this node cannot use is reported and kept.</summary>
    /// <summary>Takes the pair, the BGP announcements and the suspension back from the state file at start.</summary>
    public void Restore(FailoverSettings? settings, BgpSettings? bgp, bool suspended)
    {
        if (bgp is not null) _bgp.Set(bgp, validate: false);
        // a node suspended before the restart stays out of its pair and its scale-out group until Resume-LvsDirector
        bool keepSuspended = suspended && (settings is not null || bgp is not null);
        if (keepSuspended)
        {
            _bgp.Suspended = true;
            _log("restored suspended: this node stays out of its failover pair and scale-out group until Resume-LvsDirector");
        }
        lock (_gate)
        {
            _suspended = keepSuspended;
            if (settings is null) return;
            _settings = settings;
            _configChanged = true;
        }
        // a sync daemon still running from before the restart is the pair's if it has the pair's values; it follows the first role keepalived reports
        _sync.Use(settings, running: false);
        _supervisor.Wake();
    }

    public FailoverSettings? GetFailover()
    {
        lock (_gate) return _settings;
    }

    public void SetFailover(FailoverSettings? settings)
    {
        if (settings is not null)
        {
            settings.Validate();
            settings.Node(_node); // this node must be one of them
        }
        lock (_gate)
        {
            _settings = settings;
            _configChanged = true;
            if (settings is null) _status = new FailoverStatus { LastTransition = _status.LastTransition, Transitions = _status.Transitions };
        }
        // at once, before the call returns: leaving the pair stops its sync daemons; changed sync values restart them
        _sync.Use(settings);
        _supervisor.Wake();
    }

    public BgpSettings? GetBgp() => _bgp.Settings;

    public void SetBgp(BgpSettings? settings) => _bgp.Set(settings);

    public BgpStatus? GetBgpStatus() => _bgp.Status();

    public FailoverStatus GetFailoverStatus()
    {
        var announced = _bgp.AnnouncedRoutes;
        var bgpProblem = _bgp.Problem;
        lock (_gate)
        {
            if (_settings is null)
            {
                return _status with { Role = FailoverRole.Standalone, Node = _bgp.Settings is null ? null : _node, Peers = Array.Empty<string>(), Suspended = _suspended, Announced = announced, Problem = bgpProblem };
            }
            var self = _settings.Nodes.FirstOrDefault(n => n.Name == _node);
            var peers = _settings.Nodes.Where(n => n.Name != _node).Select(n => n.Address is null ? n.Name : $"{n.Name} ({n.Address})").ToList();
            string? problem = self is null ? $"This director's node name '{_node}' is not one of the failover nodes ({string.Join(", ", _settings.Nodes.Select(n => n.Name))})." : _status.Problem;
            problem ??= _sync.Problem ?? bgpProblem;
            return _status with { Node = _node, Peers = peers, Suspended = _suspended, Problem = problem, Announced = announced };
        }
    }

    public void Suspend()
    {
        lock (_gate)
        {
            RequireFailover();
            _suspended = true;
        }
        _bgp.Suspended = true;
        _supervisor.Wake();
        _log("suspended: handing mastership to a peer");
    }

    public void Resume()
    {
        lock (_gate)
        {
            RequireFailover();
            _suspended = false;
        }
        _bgp.Suspended = false;
        _supervisor.Wake();
        _log("resumed: rejoining the failover pair");
    }

    private void RequireFailover()
    {
        if (_settings is null && _bgp.Settings is null) throw LvsException.InvalidArgument("NoFailoverPair", "This director is not in a failover pair; give it one with Set-LvsFailover or a document's failover section.", null);
    }

    // --- the supervisor thread ---

    /// <summary>One step of the supervisor: keepalived runs with the current configuration, or not at all.</summary>
    private void Step()
    {
        FailoverSettings? settings;
        bool run, changed;
        lock (_gate)
        {
            settings = _settings;
            run = settings is not null && !_suspended && settings.Nodes.Any(n => n.Name == _node);
            changed = _configChanged;
            _configChanged = false;
        }
        if (!run)
        {
            StopKeepalived();
            if (settings is not null && _suspended) Transition(FailoverRole.Backup);
            return;
        }
        if (changed || _supervisor.Child is null) WriteConfig(settings!);
        if (_supervisor.Child is null) StartKeepalived();
        else if (changed) _supervisor.Child.Signal(Libc.SIGHUP); // keepalived reloads its configuration on SIGHUP
    }

    /// <summary>keepalived ended by itself: a fault while it should run (the next step starts it again).</summary>
    private void Ended(int code)
    {
        bool run;
        lock (_gate) run = _settings is not null && !_suspended && _settings.Nodes.Any(n => n.Name == _node);
        if (run) SetProblem($"keepalived ended with exit code {code}; restarting it", FailoverRole.Fault);
    }

    private void WriteConfig(FailoverSettings settings)
    {
        ExternalTool.PrivateDirectory(_dir);
        EnsureFifo();
        var self = settings.Node(_node);
        LvsPs.Model.IO.AtomicFile.WriteText(_config, KeepalivedConfig.Render(settings, self, _fifo));
    }

    /// <summary>Creates the FIFO once per service run, in the service's private folder (a leftover of an earlier run is replaced).</summary>
    private void EnsureFifo()
    {
        if (_fifoReady) return;
        File.Delete(_fifo);
        if (Libc.MakeFifo(_fifo, 0x180 /* 0600 */) != 0) throw new IOException($"mkfifo '{_fifo}' failed ({Errno.Describe(Errno.Last)})");
        _fifoReady = true;
    }

    private void StartKeepalived()
    {
        var binary = _findTool("keepalived");
        if (binary is null)
        {
            SetProblem("keepalived is not installed, so this director cannot take part in its failover pair (the settings are kept). Install it with 'apt-get install keepalived'; the service starts it within a second.", FailoverRole.Fault);
            return;
        }
        StartReader();
        // -n foreground, -l log to the console, -D detailed log, -P VRRP only, own pid files
        _supervisor.StartChild(binary, new[] { "-n", "-l", "-D", "-P", "-f", _config, "-p", Path.Combine(_dir, "keepalived.pid"),
            "-r", Path.Combine(_dir, "vrrp.pid"), "-c", Path.Combine(_dir, "checkers.pid") }, "keepalived", _log);
        lock (_gate) _status = _status with { Problem = null };
    }

    private void StopKeepalived()
    {
        // SIGTERM: keepalived advertises priority 0 and removes the VIPs, so a peer takes over at once
        _supervisor.StopChild();
    }

    private void StartReader()
    {
        if (_reader is not null) return;
        _reader = new Thread(ReadNotifications) { IsBackground = true, Name = "lvsps keepalived notify" };
        _reader.Start();
    }

    /// <summary>Reads keepalived's notify FIFO; opened read-write, so it never sees end of file when keepalived restarts.</summary>
    private void ReadNotifications()
    {
        try
        {
            using var stream = new FileStream(_fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                FailoverSettings? settings;
                lock (_gate)
                {
                    if (_disposed) return;
                    settings = _settings;
                }
                if (settings is null) continue;
                var state = KeepalivedConfig.ParseNotifyLine(line, KeepalivedConfig.InstanceName(settings));
                if (state is not null && KeepalivedConfig.RoleOf(state) is { } role) Transition(role);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            _log($"keepalived notify FIFO closed: {e.Message}");
        }
    }

    private void SetProblem(string problem, FailoverRole role)
    {
        bool changed;
        lock (_gate)
        {
            changed = _status.Problem != problem;
            _status = _status with { Problem = problem };
        }
        if (changed) _log(problem);
        Transition(role);
    }

    private void Transition(FailoverRole role)
    {
        FailoverRole from;
        lock (_gate)
        {
            from = _status.Role;
            if (from == role) return;
            _status = _status with
            {
                Role = role,
                LastTransition = new FailoverTransition(DateTimeOffset.UtcNow, from, role),
                Transitions = _status.Transitions + 1,
            };
        }
        _log($"failover role {from} -> {role}");
        _sync.Follow(role);
        RoleChanged?.Invoke(role);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _supervisor.Stop(TimeSpan.Zero); // keepalived and BIRD stop side by side
        _bgp.Dispose();
        _supervisor.Stop(StopGrace + TimeSpan.FromSeconds(2));
        // wake the reader with a line of our own so it sees the flag and ends
        try
        {
            if (_reader is not null) File.AppendAllText(_fifo, "LVSPS STOP\n");
        }
        catch (IOException)
        {
        }
    }
}
