using LvsPs.Health.Probes;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Health;

/// <summary>
/// Runs health checks for a director, as keepalived does for kernel IPVS. It wraps any <see cref="IDirectorBackend"/>
/// (a decorator): calls pass through, and so do the capabilities of the director underneath; but for services with a
/// check it remembers the settings the user gave each real server, so a failed real server can be quiesced (weight 0)
/// or removed and later restored at its configured weight, and a sorry server can stand in while every real server is
/// down. Its parts, each in a file of its own: <see cref="ConfiguredState"/> (listings show the configured real servers
/// with their effective weight and health; <see cref="CaptureDesired"/> gives the configuration as the user set it),
/// <see cref="ProbeSchedule"/> (schedule: when probes run), <see cref="HealthDecision"/> (decide: up or down) and
/// <see cref="TableEnforcement"/> (apply: the table and the sorry server). <see cref="Inner"/> is the table as it is.
/// </summary>
public sealed class HealthMonitor : IDirectorBackend, IHealthMonitoring, ISchedulingPreview, IFtpHelperCheck, IDirectorBatch
{
    private readonly IDirectorBackend _inner;
    private readonly Action<string> _log;
    private readonly object _gate = new();
    private readonly Dictionary<VirtualServiceId, ServiceHealth> _services = new();
    private readonly ProbeSchedule _schedule;
    private readonly TableEnforcement _table;
    private bool _disposed;

    /// <param name="inner">The director whose real servers are checked.</param>
    /// <param name="log">Where state changes are reported.</param>
    /// <param name="probes">The probe for each check type (tests substitute their own).</param>
    /// <param name="time">
    /// The clock that schedules rounds and stamps results (default: the system clock). A test passes a manual clock
    /// (FakeTimeProvider) and drives rounds itself with <see cref="RunRoundAsync"/> or by advancing the clock; the time a
    /// single probe may take (the check's timeout) is a bound on network I/O and stays on the system clock.
    /// </param>
    public HealthMonitor(IDirectorBackend inner, Action<string>? log = null, Func<HealthCheckType, IHealthProbe>? probes = null, TimeProvider? time = null)
    {
        _inner = inner;
        _log = log ?? (_ => { });
        _table = new TableEnforcement(inner, _log);
        _schedule = new ProbeSchedule(_gate, probes ?? HealthProbes.For, time ?? TimeProvider.System,
            sh => !_disposed && _services.TryGetValue(sh.Id, out var live) && live == sh, Record);
    }

    /// <summary>The director this monitor wraps.</summary>
    public IDirectorBackend Inner => _inner;

    // ---- pass-through reads ----

    public DirectorInfo GetInfo() => _inner.GetInfo();

    // ---- capabilities of the director underneath, passed through (it has them or it has not) ----

    /// <summary>The preview on the live state underneath (where a check has quiesced or removed real servers).</summary>
    public SchedulingPreviewResult? PreviewScheduling(SchedulingPreviewRequest request) =>
        _inner is ISchedulingPreview p ? p.PreviewScheduling(request) : null;

    public IReadOnlyList<KernelFtpFinding> CheckFtpHelper(VirtualServiceId service) =>
        _inner is IFtpHelperCheck c ? c.CheckFtpHelper(service) : Array.Empty<KernelFtpFinding>();

    /// <summary>Batches when the director underneath does (the kernel's: one socket, all or nothing).</summary>
    public bool TakesBatches => _inner is IDirectorBatch { TakesBatches: true };

    /// <summary>
    /// A set of additions, as one batch of the director underneath when it takes batches. A real server added to a
    /// service with a check is known to the check, as <see cref="AddRealServer"/> makes it, and the same refusals apply,
    /// all checked before anything is applied. Otherwise (another kind of change, or no batches underneath) the changes
    /// go one at a time through this monitor (<see cref="DirectorChange.ApplyAll"/>).
    /// </summary>
    public void Apply(IReadOnlyList<DirectorChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (_inner is not IDirectorBatch { TakesBatches: true } batch || !changes.All(c => c is DirectorChange.AddService or DirectorChange.AddRealServer))
        {
            DirectorChange.ApplyAll(this, changes); // takes the one-at-a-time path: not a batch this monitor takes
            return;
        }
        lock (_gate)
        {
            ThrowIfDisposed();
            var checkedAdds = new List<(ServiceHealth Service, RealServerSettings Settings)>();
            foreach (var add in changes.OfType<DirectorChange.AddRealServer>())
            {
                if (!_services.TryGetValue(add.Service, out var sh)) continue;
                var id = add.Settings.Id;
                if (sh.Find(id) is not null || checkedAdds.Any(a => a.Service == sh && a.Settings.Id == id)) throw LvsException.RealServerExists(add.Service, id);
                if (sh.SorryServer?.Id == id) throw SorryServerIsRealServer(add.Service, id);
                checkedAdds.Add((sh, add.Settings));
            }
            batch.Apply(changes);
            foreach (var (sh, settings) in checkedAdds) sh.Servers.Add(new ServerHealth(settings));
            foreach (var sh in checkedAdds.Select(a => a.Service).Distinct()) _table.UpdateSorryServer(sh);
        }
    }

    // ---- reads: the configured state, with what the table has now ----

    /// <summary>
    /// The services with their configured real servers (docs/desired-state.md, "Configured and effective state"): a
    /// real server a check took out is listed at its configured settings with <see cref="RealServer.EffectiveWeight"/>
    /// 0, and the sorry server is not a real server of the service (Get-LvsHealth shows it).
    /// </summary>
    public IReadOnlyList<VirtualService> GetServices()
    {
        lock (_gate) return _inner.GetServices().Select(live => ConfiguredState.Listing(live, _services.GetValueOrDefault(live.Settings.Id))).ToList();
    }

    public VirtualService? GetService(VirtualServiceId id)
    {
        lock (_gate) return _inner.GetService(id) is { } live ? ConfiguredState.Listing(live, _services.GetValueOrDefault(id)) : null;
    }

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
            if (sh.SorryServer?.Id == settings.Id) throw SorryServerIsRealServer(service, settings.Id);
            _inner.AddRealServer(service, settings);
            sh.Servers.Add(new ServerHealth(settings));
            _table.UpdateSorryServer(sh);
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
            var before = server.Desired;
            server.Desired = settings; // a server the check took out comes back with these settings
            try
            {
                _table.Enforce(sh!, server, strict: true);
            }
            catch (LvsException)
            {
                server.Desired = before;
                throw;
            }
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
            if (_table.InTable(sh!, realServer) is not null) _inner.DeleteRealServer(service, realServer);
            sh!.Servers.Remove(server);
            _table.UpdateSorryServer(sh);
        }
    }

    // ---- health checks ----

    public void SetHealthCheck(VirtualServiceId service, HealthCheckSettings? check, RealServerSettings? sorryServer)
    {
        check?.Validate();
        if (sorryServer is not null) HealthCheckSettings.ValidateSorryServer(service, sorryServer);
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
                // every server the check took out goes back at its configured settings; one the director refuses
                // keeps the check (and so its place in the configuration) and is an error
                foreach (var server in sh.Servers.Where(s => s.Down))
                {
                    server.State = HealthState.Unknown;
                    server.Failures = 0;
                    _table.Enforce(sh, server, strict: true);
                }
                _table.SetSorry(sh, false);
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
                throw SorryServerIsRealServer(service, sorryServer!.Id);
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
                if (sh.SorryActive && sh.SorryServer is not null && sorryServer?.Id != sh.SorryServer.Id) _table.SetSorry(sh, false);
                sh.Check = check;
                // a new failure action applies to the servers that are down now (removed ones are quiesced, or the
                // other way round), so none is left where the old action put it
                foreach (var server in sh.Servers.Where(s => s.Down)) _table.Enforce(sh, server);
            }
            sh.SorryServer = sorryServer;
            _schedule.Start(sh);
            _table.UpdateSorryServer(sh);
            _log($"{service}: {check.Type} health check every {check.IntervalSeconds} s, {check.FailureAction} on failure");
        }
    }

    private static LvsException SorryServerIsRealServer(VirtualServiceId service, RealServerId id) =>
        LvsException.InvalidArgument("SorryServerIsRealServer", $"The sorry server '{id}' is also a real server of '{service}'; a sorry server needs an address and port the service's real servers do not use.", id);

    public (HealthCheckSettings? Check, RealServerSettings? SorryServer) GetHealthCheck(VirtualServiceId service)
    {
        lock (_gate) return _services.TryGetValue(service, out var sh) ? (sh.Check, sh.SorryServer) : (null, null);
    }

    public IReadOnlyList<RealServerHealth> GetHealth()
    {
        lock (_gate) return ConfiguredState.Health(_services.Values);
    }

    public DirectorConfiguration CaptureDesired()
    {
        lock (_gate) return ConfiguredState.Desired(_inner, _services);
    }

    /// <summary>Runs one round of checks for a service now, after any round under way (tests call it to step time).</summary>
    public async Task RunRoundAsync(VirtualServiceId service)
    {
        ServiceHealth? sh;
        lock (_gate) _services.TryGetValue(service, out sh);
        if (sh is null) return;
        await _schedule.RunRoundAsync(sh).ConfigureAwait(false);
    }

    /// <summary>What a round found (under the lock): each result decided, each change of state applied to the table.</summary>
    private void Record(ServiceHealth sh, ServerHealth[] servers, ProbeResult[] results)
    {
        var now = _schedule.Now;
        for (int i = 0; i < servers.Length; i++)
        {
            var server = servers[i];
            if (!sh.Servers.Contains(server)) continue; // removed while the round ran
            var wasDown = server.Down;
            if (HealthDecision.Decide(sh.Check, server, results[i], now) is not { } state) continue;
            _log($"{sh.Id} {server.Desired.Id}: {server.State} -> {state} ({server.LastResult})");
            server.State = state;
            server.Since = now;
            // a server seen up for the first time is in the table already; going down or coming back changes it
            if (wasDown || server.Down) _table.Enforce(sh, server);
        }
        _table.UpdateSorryServer(sh);
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
