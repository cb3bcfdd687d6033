using LvsPs.Health.Probes;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Health;

/// <summary>
/// Runs health checks for a director, as keepalived does for kernel IPVS. It wraps any <see cref="IDirectorBackend"/>:
/// calls pass through, but for services with a check it remembers the settings the user gave each real server, so a
/// failed real server can be quiesced (weight 0) or removed and later restored at its configured weight, and a sorry
/// server can stand in while every real server is down. Listings show the configured real servers (one a check took
/// out included, the sorry server never) with their effective weight and health; <see cref="CaptureDesired"/> gives the
/// configuration as the user set it. <see cref="Inner"/> is the table as it is.
/// </summary>
public sealed class HealthMonitor : IDirectorBackend, IHealthMonitoring, ISchedulingPreview, IFtpHelperCheck
{
    private readonly IDirectorBackend _inner;
    private readonly Action<string> _log;
    private readonly object _gate = new();
    private readonly Dictionary<VirtualServiceId, ServiceHealth> _services = new();
    private readonly Func<HealthCheckType, IHealthProbe> _probes;
    private readonly TimeProvider _time;
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
        _probes = probes ?? HealthProbes.For;
        _time = time ?? TimeProvider.System;
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

    // ---- reads: the configured state, with what the table has now ----

    /// <summary>
    /// The services with their configured real servers (docs/desired-state.md, "Configured and effective state"): a
    /// real server a check took out is listed at its configured settings with <see cref="RealServer.EffectiveWeight"/>
    /// 0, and the sorry server is not a real server of the service (Get-LvsHealth shows it).
    /// </summary>
    public IReadOnlyList<VirtualService> GetServices()
    {
        lock (_gate) return _inner.GetServices().Select(Configured).ToList();
    }

    public VirtualService? GetService(VirtualServiceId id)
    {
        lock (_gate) return _inner.GetService(id) is { } live ? Configured(live) : null;
    }

    private VirtualService Configured(VirtualService live)
    {
        if (!_services.TryGetValue(live.Settings.Id, out var sh)) return live;
        var servers = new List<RealServer>(sh.Servers.Count);
        for (int i = sh.Servers.Count - 1; i >= 0; i--) // newest first, as the director lists them
        {
            var s = sh.Servers[i];
            servers.Add(RealServer.Configured(live.Settings.Id, s.Desired, live.RealServers.FirstOrDefault(r => r.Settings.Id == s.Desired.Id), s.State));
        }
        return new VirtualService(live.Settings, servers, live.Stats);
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
            var before = server.Desired;
            server.Desired = settings; // a server the check took out comes back with these settings
            try
            {
                Enforce(sh!, server, strict: true);
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
            if (InTable(sh!, realServer) is not null) _inner.DeleteRealServer(service, realServer);
            sh!.Servers.Remove(server);
            UpdateSorryServer(sh);
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
                    Enforce(sh, server, strict: true);
                }
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
                if (sh.SorryActive && sh.SorryServer is not null && sorryServer?.Id != sh.SorryServer.Id) SetSorry(sh, false);
                sh.Check = check;
                // a new failure action applies to the servers that are down now (removed ones are quiesced, or the
                // other way round), so none is left where the old action put it
                foreach (var server in sh.Servers.Where(s => s.Down)) Enforce(sh, server);
            }
            sh.SorryServer = sorryServer;
            sh.Timer?.Dispose();
            var interval = TimeSpan.FromSeconds(check.IntervalSeconds);
            var target = sh;
            sh.Timer = _time.CreateTimer(_ => _ = RunTimedRoundAsync(target), null, TimeSpan.Zero, interval);
            UpdateSorryServer(sh);
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

    /// <summary>
    /// The timer's round: skipped when the previous one is still running. The round is claimed at once (so a
    /// <see cref="RunRoundAsync"/> called after the timer fired runs after it) and run off the timer's thread (a manual
    /// clock fires timers on the thread that advances it, which may hold the monitor's lock).
    /// </summary>
    private async Task RunTimedRoundAsync(ServiceHealth sh)
    {
        if (!sh.Round.Wait(0)) return;
        await Task.Yield();
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
        var now = _time.GetLocalNow();
        server.LastCheck = now;
        server.LastResult = result.Detail;
        if (result.Healthy)
        {
            server.Successes++;
            server.Failures = 0;
            if (server.State == HealthState.Down && server.Successes >= sh.Check.Rise)
            {
                Change(sh, server, HealthState.Up, now);
                Enforce(sh, server);
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
                Change(sh, server, HealthState.Down, now);
                Enforce(sh, server);
            }
        }
    }

    private void Change(ServiceHealth sh, ServerHealth server, HealthState state, DateTimeOffset now)
    {
        _log($"{sh.Id} {server.Desired.Id}: {server.State} -> {state} ({server.LastResult})");
        server.State = state;
        server.Since = now;
    }

    /// <summary>
    /// What the director's table should hold for a checked server now: its configured settings while it is up (or not
    /// checked yet), weight 0 while it is down and the action is Quiesce, nothing while it is down and the action is
    /// Remove.
    /// </summary>
    private static RealServerSettings? Effective(ServiceHealth sh, ServerHealth server) =>
        !server.Down ? server.Desired
        : sh.Check.FailureAction == HealthFailureAction.Quiesce ? server.Desired with { Weight = 0 }
        : null;

    private RealServerSettings? InTable(ServiceHealth sh, RealServerId id) =>
        _inner.GetService(sh.Id)?.RealServers.FirstOrDefault(r => r.Settings.Id == id)?.Settings;

    /// <summary>
    /// Brings the director's entry for <paramref name="server"/> to its effective state (<see cref="Effective"/>),
    /// from whatever the table holds: an add, an edit or a delete. With <paramref name="strict"/> a refusal is thrown,
    /// otherwise logged (a round of checks has no caller to tell).
    /// </summary>
    private void Enforce(ServiceHealth sh, ServerHealth server, bool strict = false)
    {
        var want = Effective(sh, server);
        var have = InTable(sh, server.Desired.Id);
        if (want == have) return;
        void Change()
        {
            if (want is null) _inner.DeleteRealServer(sh.Id, server.Desired.Id);
            else if (have is null) _inner.AddRealServer(sh.Id, want);
            else _inner.EditRealServer(sh.Id, want);
        }
        var what = want is null ? $"taking {server.Desired.Id} out of {sh.Id}"
            : server.Down ? $"quiescing {server.Desired.Id} in {sh.Id}"
            : $"restoring {server.Desired.Id} in {sh.Id}";
        if (strict) Change();
        else Apply(Change, what);
    }

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
