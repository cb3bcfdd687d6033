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
    private readonly ChildSupervisor _supervisor;
    private BgpSettings? _settings;
    private bool _suspended, _changed;
    private IReadOnlyList<IPAddress> _written = Array.Empty<IPAddress>(); // what bird.conf announces (supervisor thread)
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
        _supervisor = new ChildSupervisor("lvsps bird supervisor", Step,
            code => SetProblem($"bird ended with exit code {code}; restarting it"),
            e =>
            {
                SetProblem("bgp: " + e.Message);
                _written = Array.Empty<IPAddress>();
            });
        _supervisor.Start();
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
        _supervisor.Wake();
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
            _supervisor.Wake();
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

    /// <summary>One step of the supervisor: BIRD runs with the configuration the settings and the services give, or not at all.</summary>
    private void Step()
    {
        BgpSettings? settings;
        bool suspended, changed;
        lock (_gate)
        {
            settings = _settings;
            suspended = _suspended;
            changed = _changed;
            _changed = false;
        }
        var self = settings?.Nodes.FirstOrDefault(n => n.Name == _node);
        if (settings is null || self is null)
        {
            if (settings is not null) SetProblem($"This director's node name '{_node}' is not one of the BGP nodes.");
            // SIGTERM: BIRD closes its BGP sessions, and the routers withdraw this director's routes at once
            _supervisor.StopChild();
            Publish(Array.Empty<IPAddress>());
            return;
        }
        var announce = suspended ? Array.Empty<IPAddress>() : Available();
        if (!changed && _supervisor.Child is not null && announce.SequenceEqual(_written)) return;
        ExternalTool.PrivateDirectory(_dir);
        LvsPs.Model.IO.AtomicFile.WriteText(_config, BirdConfig.Render(settings, self, announce));
        _written = announce;
        if (_supervisor.Child is null)
        {
            var bird = ExternalTool.Find("bird");
            if (bird is null)
            {
                SetProblem("bird is not installed, so this director announces nothing over BGP (the settings are kept). Install it with 'apt-get install bird2'; the service starts it within a second.");
                _written = Array.Empty<IPAddress>();
                return;
            }
            // -f foreground, own control socket and pid file
            _supervisor.StartChild(bird, new[] { "-f", "-c", _config, "-s", _socket, "-P", Path.Combine(_dir, "bird.pid") }, "bird", _log);
        }
        else
        {
            Reconfigure();
        }
        SetProblem(null);
        Publish(announce);
    }

    /// <summary>birdc configure: BIRD reads the new file and applies the difference without dropping sessions.</summary>
    private void Reconfigure()
    {
        var (code, output) = Birdc("configure");
        if (code != 0 || !output.Contains("Reconfigured", StringComparison.Ordinal) && !output.Contains("Reconfiguration in progress", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"birdc configure failed: {LvsPs.Model.ValueText.Cut(output.Trim())}");
        }
    }

    /// <summary>The most characters of birdc's output kept (the rest is read and dropped): BIRD's output is outside input.</summary>
    private const int MaxBirdcOutput = 64 * 1024;

    /// <summary>Runs one birdc command on this speaker's control socket, bounded in time (10 s) and in output; its exit code and output.</summary>
    private (int ExitCode, string Output) Birdc(string command)
    {
        var birdc = ExternalTool.Find("birdc") ?? throw new InvalidOperationException("birdc is not installed (it comes with bird2)");
        var psi = new System.Diagnostics.ProcessStartInfo(birdc) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-s", _socket }.Concat(command.Split(' '))) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = ReadBounded(p.StandardOutput);
        var error = ReadBounded(p.StandardError);
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            throw new InvalidOperationException($"birdc {command} did not answer within 10 s");
        }
        return (p.ExitCode, output.Result + error.Result);
    }

    private static async Task<string> ReadBounded(StreamReader reader)
    {
        var kept = new System.Text.StringBuilder();
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (kept.Length < MaxBirdcOutput) kept.Append(buffer, 0, Math.Min(n, MaxBirdcOutput - kept.Length));
        }
        return kept.ToString();
    }

    /// <summary>
    /// The settings and what runs: one session per neighbor, in the settings' order, as `birdc show protocols` tells
    /// it now (Unknown, with the reason, while BIRD does not run or does not answer), and the routes announced.
    /// </summary>
    public BgpStatus? Status()
    {
        BgpSettings? settings;
        bool suspended;
        lock (_gate)
        {
            settings = _settings;
            suspended = _suspended;
        }
        if (settings is null) return null;
        IReadOnlyList<BirdProtocolLine> protocols;
        string? unknown = null;
        try
        {
            var (code, output) = File.Exists(_socket) ? Birdc("show protocols") : (1, "bird is not running");
            protocols = code == 0 ? BirdProtocols.Parse(output) : Array.Empty<BirdProtocolLine>();
            if (code != 0) unknown = LvsPs.Model.ValueText.Cut(output.Trim());
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            protocols = Array.Empty<BirdProtocolLine>();
            unknown = e.Message;
        }
        var sessions = settings.Neighbors.Select((n, i) =>
        {
            var line = protocols.FirstOrDefault(p => p.Name == BirdConfig.PeerName(i));
            return new BgpSession
            {
                Neighbor = n.Address.ToString(), As = n.As, State = line?.State ?? BgpSessionState.Unknown, Since = line?.Since,
                Info = line is null ? unknown ?? "not in bird's protocols yet" : line.Info,
            };
        }).ToList();
        return BgpStatus.Of(settings) with { Node = _node, Sessions = sessions, Announced = AnnouncedRoutes, Suspended = suspended, Problem = Problem };
    }

    /// <summary>The routes announced, as ADDRESS/32 or ADDRESS/128.</summary>
    public IReadOnlyList<string> AnnouncedRoutes =>
        Announced.Select(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? $"{a}/32" : $"{a}/128").ToList();

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

    /// <summary>Stops the supervisor, which stops BIRD (SIGTERM: it closes its sessions, so the routes go at once).</summary>
    public void Dispose() => _supervisor.Dispose();
}
