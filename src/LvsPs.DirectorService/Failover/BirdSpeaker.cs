using System.Net;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.DirectorService.Failover;

/// <summary>
/// Drives BIRD 2 as this director's BGP speaker: announces the address of each virtual service while it has an
/// available real server (weight above 0, which is also how the health checks quiesce one), and withdraws it when
/// none is left, when the director is suspended (planned removal) and when the service stops (BIRD closes its
/// sessions on SIGTERM). Runs BIRD as a child and reconfigures it with birdc.
/// </summary>
internal sealed class BirdSpeaker : IDisposable
{
    private readonly object _gate = new();
    private readonly string _node;
    private readonly IDirectorBackend _director;
    private readonly Action<string> _log;
    private readonly string _dir, _config, _socket;
    private readonly Thread _thread;
    private readonly AutoResetEvent _wake = new(false);
    private BgpSettings? _settings;
    private bool _suspended, _changed, _disposed;
    private ChildProcess? _bird;
    private IReadOnlyList<IPAddress> _announced = Array.Empty<IPAddress>();
    private string? _problem;

    public BirdSpeaker(string runtimeDirectory, string node, IDirectorBackend director, Action<string> log)
    {
        _node = node;
        _director = director;
        _log = log;
        _dir = runtimeDirectory;
        _config = Path.Combine(_dir, "bird.conf");
        _socket = Path.Combine(_dir, "bird.ctl");
        _thread = new Thread(Run) { IsBackground = true, Name = "lvsps bird supervisor" };
        _thread.Start();
    }

    public BgpSettings? Settings
    {
        get { lock (_gate) return _settings; }
    }

    public IReadOnlyList<IPAddress> Announced
    {
        get { lock (_gate) return _announced; }
    }

    public string? Problem
    {
        get { lock (_gate) return _problem; }
    }

    public void Set(BgpSettings? settings, bool validate = true)
    {
        if (settings is not null && validate)
        {
            settings.Validate();
            settings.Node(_node);
        }
        lock (_gate)
        {
            _settings = settings;
            _changed = true;
        }
        _wake.Set();
    }

    public bool Suspended
    {
        set
        {
            lock (_gate)
            {
                _suspended = value;
                _changed = true;
            }
            _wake.Set();
        }
    }

    /// <summary>The addresses to announce now: those of services with a real server of weight above 0.</summary>
    private IReadOnlyList<IPAddress> Available()
    {
        try
        {
            return _director.GetServices().Where(s => s.Settings.Id.Address is not null && s.RealServers.Any(r => r.Settings.Weight > 0))
                .Select(s => s.Settings.Id.Address!).Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal).ToList();
        }
        catch (LvsException e)
        {
            _log($"bgp: could not read the services: {e.Message}");
            return Array.Empty<IPAddress>();
        }
    }

    private void Run()
    {
        IReadOnlyList<IPAddress> written = Array.Empty<IPAddress>();
        while (true)
        {
            // the services are polled once a second: a change of weight or health shows within that time
            _wake.WaitOne(TimeSpan.FromSeconds(1));
            BgpSettings? settings;
            bool suspended, changed;
            lock (_gate)
            {
                if (_disposed) break;
                settings = _settings;
                suspended = _suspended;
                changed = _changed;
                _changed = false;
            }
            try
            {
                if (_bird is { HasExited: true } ended)
                {
                    SetProblem($"bird ended with exit code {ended.ExitCode}; restarting it");
                    ended.Dispose();
                    _bird = null;
                }
                var self = settings?.Nodes.FirstOrDefault(n => n.Name == _node);
                if (settings is null || self is null)
                {
                    if (settings is not null) SetProblem($"This director's node name '{_node}' is not one of the BGP nodes.");
                    StopBird();
                    Publish(Array.Empty<IPAddress>());
                    continue;
                }
                var announce = suspended ? Array.Empty<IPAddress>() : Available();
                if (!changed && _bird is not null && announce.SequenceEqual(written)) continue;
                ExternalTool.PrivateDirectory(_dir);
                LvsPs.Model.IO.AtomicFile.WriteText(_config, BirdConfig.Render(settings, self, announce));
                written = announce;
                if (_bird is null)
                {
                    var bird = ExternalTool.Find("bird");
                    if (bird is null)
                    {
                        SetProblem("bird is not installed, so this director announces nothing over BGP (the settings are kept). Install it with 'apt-get install bird2'; the service starts it within a second.");
                        written = Array.Empty<IPAddress>();
                        continue;
                    }
                    // -f foreground, own control socket and pid file
                    _bird = ChildProcess.Start(bird, new[] { "-f", "-c", _config, "-s", _socket, "-P", Path.Combine(_dir, "bird.pid") }, "bird", _log);
                }
                else
                {
                    Reconfigure();
                }
                SetProblem(null);
                Publish(announce);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or LvsException or InvalidOperationException)
            {
                SetProblem("bgp: " + e.Message);
                written = Array.Empty<IPAddress>();
            }
        }
        StopBird();
    }

    /// <summary>birdc configure: BIRD reads the new file and applies the difference without dropping sessions.</summary>
    private void Reconfigure()
    {
        var birdc = ExternalTool.Find("birdc") ?? throw new InvalidOperationException("birdc is not installed (it comes with bird2)");
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(birdc, new[] { "-s", _socket, "configure" })
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            throw new InvalidOperationException("birdc configure did not answer within 10 s");
        }
        if (p.ExitCode != 0 || !output.Result.Contains("Reconfigured", StringComparison.Ordinal) && !output.Result.Contains("Reconfiguration in progress", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"birdc configure failed: {(output.Result + error.Result).Trim()}");
        }
    }

    private void Publish(IReadOnlyList<IPAddress> announced)
    {
        bool changed;
        lock (_gate)
        {
            changed = !announced.SequenceEqual(_announced);
            _announced = announced;
        }
        if (changed) _log("bgp: announcing " + (announced.Count == 0 ? "nothing" : string.Join(", ", announced)));
    }

    private void SetProblem(string? problem)
    {
        bool changed;
        lock (_gate)
        {
            changed = _problem != problem;
            _problem = problem;
        }
        if (changed && problem is not null) _log(problem);
    }

    private void StopBird()
    {
        // SIGTERM: BIRD closes its BGP sessions, and the routers withdraw this director's routes at once
        _bird?.Stop();
        _bird?.Dispose();
        _bird = null;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _wake.Set();
        _thread.Join(TimeSpan.FromSeconds(10));
    }
}
