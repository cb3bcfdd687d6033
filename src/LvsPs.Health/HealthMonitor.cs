using LvsPs.Health.Probes;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Health;

/// <summary>
/// Runs health checks for a director, as keepalived does for kernel IPVS. It wraps any <see cref="IDirectorBackend"/>:
/// calls pass through, but for services with a check it remembers the settings the user gave each real server, so a
/// failed real server can be quiesced (weight 0) or removed and later restored at its configured weight, and a sorry
/// server can stand in while every real server is down. Listings show the director's effective state (a quiesced
/// server at weight 0); <see cref="CaptureDesired"/> gives the configuration as the user set it.
/// </summary>
public sealed class HealthMonitor : IDirectorBackend, IHealthMonitoring
{
    private readonly IDirectorBackend _inner;
    private readonly Action<string> _log;
    private readonly object _gate = new();
    private readonly Dictionary<VirtualServiceId, ServiceHealth> _services = new();
    private readonly Func<HealthCheckType, IHealthProbe> _probes;
    private bool _disposed;

    /// <param name="inner">The director whose real servers are checked.</param>
    /// <param name="log">Where state changes are reported.</param>
    /// <param name="probes">The probe for each check type (tests substitute their own).</param>
    public HealthMonitor(IDirectorBackend inner, Action<string>? log = null, Func<HealthCheckType, IHealthProbe>? probes = null)
    {
        _inner = inner;
        _log = log ?? (_ => { });
        _probes = probes ?? HealthProbes.For;
    }

    /// <summary>The director this monitor wraps.</summary>
    public IDirectorBackend Inner => _inner;

    // ---- pass-through reads ----

    public DirectorInfo GetInfo() => _inner.GetInfo();

    public IReadOnlyList<VirtualService> GetServices() => _inner.GetServices();

    public VirtualService? GetService(VirtualServiceId id) => _inner.GetService(id);

    public LvsTimeouts GetTimeouts() => _inner.GetTimeouts();

    public IReadOnlyList<LvsConnection> GetConnections() => _inner.GetConnections();

    public IReadOnlyList<SyncDaemon> GetSyncDaemons() => _inner.GetSyncDaemons();

    public void ZeroStats(VirtualServiceId? service) => _inner.ZeroStats(service);

    public void SetTimeouts(LvsTimeouts timeouts) => _inner.SetTimeouts(timeouts);

    public void StartSyncDaemon(SyncDaemon daemon) => _inner.StartSyncDaemon(daemon);

    public void StopSyncDaemon(SyncDaemonRole role) => _inner.StopSyncDaemon(role);

    public void AddService(VirtualServiceSettings settings) => _inner.AddService(settings);

    public void EditService(VirtualServiceSettings settings) => _inner.EditService(settings);

    // ---- changes that the checks must know about ----

    public void DeleteService(VirtualServiceId id)
    {
        lock (_gate)
        {
            _inner.DeleteService(id);
            if (_services.Remove(id, out var sh)) sh.Dispose();
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            _inner.Flush();
            foreach (var sh in _services.Values) sh.Dispose();
            _services.Clear();
        }
    }

    public void AddRealServer(VirtualServiceId service, RealServerSettings settings)
    {
        lock (_gate)
        {
            if (!_services.TryGetValue(service, out var sh))
            {
                _inner.AddRealServer(service, settings);
                return;
            }
            if (sh.Find(settings.Id) is not null) throw LvsException.RealServerExists(service, settings.Id);
            _inner.AddRealServer(service, settings);
            sh.Servers.Add(new ServerHealth(settings));
            UpdateSorryServer(sh);
        }
    }

    public void EditRealServer(VirtualServiceId service, RealServerSettings settings)
    {
        lock (_gate)
        {
            var server = _services.TryGetValue(service, out var sh) ? sh.Find(settings.Id) : null;
            if (server is null)
            {
                _inner.EditRealServer(service, settings);
                return;
            }
            settings.Validate();
            if (!server.Down)
            {
                _inner.EditRealServer(service, settings);
            }
            else if (sh!.Check.FailureAction == HealthFailureAction.Quiesce)
            {
                _inner.EditRealServer(service, settings with { Weight = 0 });
            }
            server.Desired = settings; // a removed server comes back with these settings
        }
    }

    public void DeleteRealServer(VirtualServiceId service, RealServerId realServer)
    {
        lock (_gate)
        {
            var server = _services.TryGetValue(service, out var sh) ? sh.Find(realServer) : null;
            if (server is null)
            {
                _inner.DeleteRealServer(service, realServer);
                return;
            }
            if (!(server.Down && sh!.Check.FailureAction == HealthFailureAction.Remove)) _inner.DeleteRealServer(service, realServer);
            sh!.Servers.Remove(server);
            UpdateSorryServer(sh);
        }
    }

    // ---- health checks ----

    public void SetHealthCheck(VirtualServiceId service, HealthCheckSettings? check, RealServerSettings? sorryServer)
    {
        check?.Validate();
        sorryServer?.Validate();
        lock (_gate)
        {
            ThrowIfDisposed();
            var current = _inner.GetService(service) ?? throw LvsException.ServiceNotFound(service);
            _services.TryGetValue(service, out var sh);
            if (check is null)
            {
                if (sorryServer is not null)
                {
                    throw LvsException.InvalidArgument("SorryServerNeedsCheck", $"A sorry server for '{service}' needs a health check to tell when every real server is down.", sorryServer.Id);
                }
                if (sh is null) return;
                foreach (var server in sh.Servers.Where(s => s.Down)) Restore(sh, server);
                SetSorry(sh, false);
                _services.Remove(service);
                sh.Dispose();
                _log($"{service}: health check removed");
                return;
            }
            bool activeSorry = sh is { SorryActive: true } && sh.SorryServer?.Id == sorryServer?.Id;
            bool sorryInUse = sorryServer is not null
                && (sh?.Find(sorryServer.Id) is not null || (!activeSorry && current.RealServers.Any(r => r.Settings.Id == sorryServer.Id)));
            if (sorryInUse)
            {
                throw LvsException.InvalidArgument("SorryServerIsRealServer", $"The sorry server '{sorryServer!.Id}' is already a real server of '{service}'; give an address the service does not use.", sorryServer.Id);
            }
            if (sh is null)
            {
                sh = new ServiceHealth(service, check);
                // the real servers present now are taken at their present settings, oldest first
                foreach (var rs in current.RealServers.Reverse()) sh.Servers.Add(new ServerHealth(rs.Settings));
                _services[service] = sh;
            }
            else
            {
                if (sh.SorryActive && sh.SorryServer is not null && sorryServer?.Id != sh.SorryServer.Id) SetSorry(sh, false);
                sh.Check = check;
            }
            sh.SorryServer = sorryServer;
            sh.Timer?.Dispose();
            var interval = TimeSpan.FromSeconds(check.IntervalSeconds);
            var target = sh;
            sh.Timer = new Timer(_ => _ = RunTimedRoundAsync(target), null, TimeSpan.Zero, interval);
            UpdateSorryServer(sh);
            _log($"{service}: {check.Type} health check every {check.IntervalSeconds} s, {check.FailureAction} on failure");
        }
    }

    public (HealthCheckSettings? Check, RealServerSettings? SorryServer) GetHealthCheck(VirtualServiceId service)
    {
        lock (_gate) return _services.TryGetValue(service, out var sh) ? (sh.Check, sh.SorryServer) : (null, null);
    }

    public IReadOnlyList<RealServerHealth> GetHealth()
    {
        lock (_gate)
        {
            var list = new List<RealServerHealth>();
            foreach (var sh in _services.Values.OrderBy(s => s.Id, VirtualServiceOrder.Instance))
            {
                // newest first, as the director lists real servers
                for (int i = sh.Servers.Count - 1; i >= 0; i--) list.Add(sh.Servers[i].ToModel(sh.Id, sh.Check.Type));
                if (sh.SorryServer is { } sorry)
                {
                    list.Add(new RealServerHealth
                    {
                        VirtualService = sh.Id.ToString(),
                        RealServer = sorry.Id.ToString(),
                        State = sh.SorryActive ? HealthState.Up : HealthState.Unknown,
                        CheckType = sh.Check.Type,
                        LastResult = sh.SorryActive ? "in service: every real server is down" : "standing by",
                        SorryServer = true,
                    });
                }
            }
            return list;
        }
    }

    public DirectorConfiguration CaptureDesired()
    {
        lock (_gate)
        {
            var services = _inner.GetServices().Select(s =>
            {
                if (!_services.TryGetValue(s.Settings.Id, out var sh))
                {
                    return new ServiceConfiguration(s.Settings, s.RealServers.Select(r => r.Settings).ToList());
                }
                var desired = Enumerable.Range(0, sh.Servers.Count).Select(i => sh.Servers[sh.Servers.Count - 1 - i].Desired).ToList();
                return new ServiceConfiguration(s.Settings, desired, sh.Check, sh.SorryServer);
            }).ToList();
            return new DirectorConfiguration(services, _inner.GetTimeouts());
        }
    }

    /// <summary>Runs one round of checks for a service now, after any round under way (tests call it to step time).</summary>
    public async Task RunRoundAsync(VirtualServiceId service)
    {
        ServiceHealth? sh;
        lock (_gate) _services.TryGetValue(service, out sh);
        if (sh is null) return;
        await sh.Round.WaitAsync().ConfigureAwait(false);
        await RunRoundLockedAsync(sh).ConfigureAwait(false);
    }

    /// <summary>The timer's round: skipped when the previous one is still running.</summary>
    private async Task RunTimedRoundAsync(ServiceHealth sh)
    {
        if (!sh.Round.Wait(0)) return;
        await RunRoundLockedAsync(sh).ConfigureAwait(false);
    }

    private async Task RunRoundLockedAsync(ServiceHealth sh)
    {
        try
        {
            HealthCheckSettings check;
            ServerHealth[] servers;
            lock (_gate)
            {
                if (_disposed || !_services.TryGetValue(sh.Id, out var live) || live != sh) return;
                check = sh.Check;
                servers = sh.Servers.ToArray();
            }
            var probe = _probes(check.Type);
            var results = await Task.WhenAll(servers.Select(async s =>
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(check.TimeoutSeconds));
                try
                {
                    return await probe.ProbeAsync(sh.Id, s.Desired.Id, check, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    return new ProbeResult(false, "check failed: " + e.Message);
                }
            })).ConfigureAwait(false);
            lock (_gate)
            {
                if (_disposed || !_services.TryGetValue(sh.Id, out var live) || live != sh) return;
                for (int i = 0; i < servers.Length; i++)
                {
                    if (sh.Servers.Contains(servers[i])) Record(sh, servers[i], results[i]);
                }
                UpdateSorryServer(sh);
            }
        }
        finally
        {
            sh.Round.Release();
        }
    }

    private void Record(ServiceHealth sh, ServerHealth server, ProbeResult result)
    {
        var now = DateTimeOffset.Now;
        server.LastCheck = now;
        server.LastResult = result.Detail;
        if (result.Healthy)
        {
            server.Successes++;
            server.Failures = 0;
            if (server.State == HealthState.Down && server.Successes >= sh.Check.Rise)
            {
                Restore(sh, server);
                Change(sh, server, HealthState.Up, now);
            }
            else if (server.State == HealthState.Unknown)
            {
                Change(sh, server, HealthState.Up, now);
            }
        }
        else
        {
            server.Failures++;
            server.Successes = 0;
            if (server.State != HealthState.Down && server.Failures >= sh.Check.Retries)
            {
                TakeOut(sh, server);
                Change(sh, server, HealthState.Down, now);
            }
        }
    }

    private void Change(ServiceHealth sh, ServerHealth server, HealthState state, DateTimeOffset now)
    {
        _log($"{sh.Id} {server.Desired.Id}: {server.State} -> {state} ({server.LastResult})");
        server.State = state;
        server.Since = now;
    }

    private void TakeOut(ServiceHealth sh, ServerHealth server) => Apply(() =>
    {
        if (sh.Check.FailureAction == HealthFailureAction.Quiesce) _inner.EditRealServer(sh.Id, server.Desired with { Weight = 0 });
        else _inner.DeleteRealServer(sh.Id, server.Desired.Id);
    }, $"taking {server.Desired.Id} out of {sh.Id}");

    private void Restore(ServiceHealth sh, ServerHealth server) => Apply(() =>
    {
        if (sh.Check.FailureAction == HealthFailureAction.Quiesce) _inner.EditRealServer(sh.Id, server.Desired);
        else _inner.AddRealServer(sh.Id, server.Desired);
    }, $"restoring {server.Desired.Id} in {sh.Id}");

    /// <summary>Puts the sorry server in while every real server is down, and takes it out when one is back.</summary>
    private void UpdateSorryServer(ServiceHealth sh) => SetSorry(sh, sh.SorryServer is not null && sh.AllDown);

    private void SetSorry(ServiceHealth sh, bool active)
    {
        if (sh.SorryActive == active || sh.SorryServer is not { } sorry) return;
        Apply(() =>
        {
            if (active) _inner.AddRealServer(sh.Id, sorry);
            else _inner.DeleteRealServer(sh.Id, sorry.Id);
        }, (active ? "adding" : "removing") + $" sorry server {sorry.Id} in {sh.Id}");
        sh.SorryActive = active;
        _log($"{sh.Id}: sorry server {sorry.Id} {(active ? "in service: every real server is down" : "out of service")}");
    }

    private void Apply(Action action, string what)
    {
        try
        {
            action();
        }
        catch (LvsException e)
        {
            _log($"{what} failed: {e.Message}");
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed) throw new LvsException(LvsErrorKind.Unavailable, "DirectorStopped", "The director has been stopped.");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var sh in _services.Values) sh.Dispose();
            _services.Clear();
        }
        _inner.Dispose();
    }
}
