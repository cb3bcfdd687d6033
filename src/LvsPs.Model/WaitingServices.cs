using LvsPs.Model.Health;

namespace LvsPs.Model;

/// <summary>
/// Keeps configured virtual services that cannot run right now. A service restored from a configuration (a director
/// service's state file, a backup director whose address is not local yet) that the director refuses, because its
/// address is not on this host yet or its port is taken, is kept with its real servers, health check and reason: it
/// is listed (State Waiting, with the Reason), changed, deleted and saved like any other, and retried every
/// <c>retryInterval</c> until it runs. Nothing configured is dropped because it cannot run now.
/// A service added interactively (AddService) is not kept: its failure is the caller's error, as at the prompt.
/// </summary>
public sealed class WaitingServices : IDirectorBackend, IHealthMonitoring, ISchedulingPreview, IFtpHelperCheck
{
    /// <summary>How often waiting services are retried by default.</summary>
    public static readonly TimeSpan DefaultRetryInterval = TimeSpan.FromSeconds(5);

    private readonly IDirectorBackend _inner;
    private readonly Action<string> _log;
    private readonly object _gate = new();
    private readonly List<Entry> _waiting = new();
    private readonly Timer _timer;
    private bool _disposed;

    private sealed class Entry(ServiceConfiguration configuration, string reason)
    {
        public ServiceConfiguration Configuration { get; set; } = configuration;
        public string Reason { get; set; } = reason;
    }

    /// <summary>What a restore did: the services that run, and those kept waiting with why.</summary>
    public sealed record RestoreResult(int Running, IReadOnlyList<(VirtualServiceId Id, string Reason)> Waiting)
    {
        /// <summary>"restored 2 of 3 virtual service(s); 1 waiting: tcp/...: why".</summary>
        public override string ToString() =>
            $"restored {Running} of {Running + Waiting.Count} virtual service(s)" +
            (Waiting.Count == 0 ? string.Empty : $"; {Waiting.Count} waiting (retried every few seconds): " + string.Join("; ", Waiting.Select(w => $"{w.Id}: {w.Reason}")));
    }

    /// <param name="inner">The director the services run on.</param>
    /// <param name="log">Where a waiting service that starts running is reported.</param>
    /// <param name="retryInterval">How often waiting services are retried; <see cref="Timeout.InfiniteTimeSpan"/> only by <see cref="RetryNow"/>.</param>
    public WaitingServices(IDirectorBackend inner, Action<string>? log = null, TimeSpan? retryInterval = null)
    {
        _inner = inner;
        _log = log ?? (_ => { });
        var interval = retryInterval ?? DefaultRetryInterval;
        _timer = new Timer(_ => RetryNow(), null, interval, interval);
    }

    /// <summary>The director the services run on.</summary>
    public IDirectorBackend Inner => _inner;

    private IHealthMonitoring Health => _inner as IHealthMonitoring ?? throw LvsException.NotSupported("HealthChecksNotAvailable",
        "This director runs no health checks.");

    /// <summary>
    /// Creates <paramref name="configuration"/> on the (empty) director; a service the director refuses is kept waiting
    /// instead of skipped. Failures of real servers and health checks of running services go to <paramref name="onError"/>.
    /// </summary>
    public RestoreResult Restore(DirectorConfiguration configuration, Action<string, LvsException> onError)
    {
        lock (_gate)
        {
            try
            {
                _inner.SetTimeouts(configuration.Timeouts);
            }
            catch (LvsException e)
            {
                onError("timeouts", e);
            }
            int running = 0;
            foreach (var service in configuration.Services)
            {
                try
                {
                    service.ApplyTo(_inner, onError);
                    running++;
                }
                catch (LvsException e)
                {
                    _waiting.Add(new Entry(service, e.Message));
                }
            }
            return new RestoreResult(running, _waiting.Select(w => (w.Configuration.Settings.Id, w.Reason)).ToList());
        }
    }

    /// <summary>Stops retrying (a service process that handed over to a new one must not take the ports back).</summary>
    public void StopRetrying() => _timer.Change(Timeout.Infinite, Timeout.Infinite);

    /// <summary>Tries every waiting service once (the timer does this every interval); returns how many run now.</summary>
    public int RetryNow()
    {
        lock (_gate)
        {
            if (_disposed) return 0;
            int started = 0;
            foreach (var entry in _waiting.ToList())
            {
                try
                {
                    entry.Configuration.ApplyTo(_inner, (what, e) => _log($"{what}: {e.Message}"));
                }
                catch (LvsException e)
                {
                    entry.Reason = e.Message;
                    continue;
                }
                catch (Exception e) when (e is IOException or InvalidOperationException)
                {
                    entry.Reason = e.Message;
                    continue;
                }
                _waiting.Remove(entry);
                started++;
                _log($"{entry.Configuration.Settings.Id}: running now (it was waiting: {entry.Reason})");
            }
            return started;
        }
    }

    private Entry? Find(VirtualServiceId id) => _waiting.Find(w => w.Configuration.Settings.Id == id);

    private static VirtualService Describe(Entry entry)
    {
        var c = entry.Configuration;
        return new VirtualService(c.Settings, c.RealServers.Select(r => new RealServer(c.Settings.Id, r)).ToList(), LvsStats.Zero)
        {
            State = ServiceState.Waiting,
            Reason = entry.Reason,
        };
    }

    /// <summary>Changes a waiting service's kept configuration, under the gate.</summary>
    private bool ChangeWaiting(VirtualServiceId id, Func<ServiceConfiguration, ServiceConfiguration> change)
    {
        var entry = Find(id);
        if (entry is null) return false;
        entry.Configuration = change(entry.Configuration);
        return true;
    }

    // ---- reads ----

    public DirectorInfo GetInfo() => _inner.GetInfo();

    /// <summary>A waiting service has no live state: the caller previews it from its listing.</summary>
    public SchedulingPreviewResult? PreviewScheduling(SchedulingPreviewRequest request) =>
        _inner is ISchedulingPreview p ? p.PreviewScheduling(request) : null;

    public IReadOnlyList<KernelFtpFinding> CheckFtpHelper(VirtualServiceId service) =>
        _inner is IFtpHelperCheck c ? c.CheckFtpHelper(service) : Array.Empty<KernelFtpFinding>();

    public IReadOnlyList<VirtualService> GetServices()
    {
        lock (_gate) return _inner.GetServices().Concat(_waiting.Select(Describe)).ToList();
    }

    public VirtualService? GetService(VirtualServiceId id)
    {
        lock (_gate) return Find(id) is { } entry ? Describe(entry) : _inner.GetService(id);
    }

    public LvsTimeouts GetTimeouts() => _inner.GetTimeouts();

    public IReadOnlyList<LvsConnection> GetConnections() => _inner.GetConnections();

    public IReadOnlyList<SyncDaemon> GetSyncDaemons() => _inner.GetSyncDaemons();

    public IReadOnlyList<RealServerHealth> GetHealth() => Health.GetHealth();

    public (HealthCheckSettings? Check, RealServerSettings? SorryServer) GetHealthCheck(VirtualServiceId service)
    {
        lock (_gate) return Find(service) is { } entry ? (entry.Configuration.HealthCheck, entry.Configuration.SorryServer) : Health.GetHealthCheck(service);
    }

    /// <summary>The configuration with the waiting services (after the running ones): what a director service saves.</summary>
    public DirectorConfiguration CaptureDesired()
    {
        lock (_gate)
        {
            var running = _inner is IHealthMonitoring h ? h.CaptureDesired() : DirectorConfiguration.Capture(_inner);
            return running with { Services = running.Services.Concat(_waiting.Select(w => w.Configuration)).ToList() };
        }
    }

    // ---- changes: a waiting service is changed in what is kept ----

    public void AddService(VirtualServiceSettings settings)
    {
        lock (_gate)
        {
            if (Find(settings.Id) is not null) throw LvsException.ServiceExists(settings.Id);
            _inner.AddService(settings);
        }
    }

    public void EditService(VirtualServiceSettings settings)
    {
        lock (_gate)
        {
            if (Find(settings.Id) is null)
            {
                _inner.EditService(settings);
                return;
            }
            settings.Validate();
            ChangeWaiting(settings.Id, c => c with { Settings = settings });
        }
    }

    public void DeleteService(VirtualServiceId id)
    {
        lock (_gate)
        {
            if (Find(id) is { } entry) _waiting.Remove(entry);
            else _inner.DeleteService(id);
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            _inner.Flush();
            _waiting.Clear();
        }
    }

    public void AddRealServer(VirtualServiceId service, RealServerSettings settings)
    {
        lock (_gate)
        {
            if (Find(service) is not { } entry)
            {
                _inner.AddRealServer(service, settings);
                return;
            }
            settings.Validate();
            if (entry.Configuration.RealServers.Any(r => r.Id == settings.Id)) throw LvsException.RealServerExists(service, settings.Id);
            // the director lists the newest first
            entry.Configuration = entry.Configuration with { RealServers = entry.Configuration.RealServers.Prepend(settings).ToList() };
        }
    }

    public void EditRealServer(VirtualServiceId service, RealServerSettings settings)
    {
        lock (_gate)
        {
            if (Find(service) is not { } entry)
            {
                _inner.EditRealServer(service, settings);
                return;
            }
            settings.Validate();
            if (!entry.Configuration.RealServers.Any(r => r.Id == settings.Id)) throw LvsException.RealServerNotFound(service, settings.Id);
            entry.Configuration = entry.Configuration with { RealServers = entry.Configuration.RealServers.Select(r => r.Id == settings.Id ? settings : r).ToList() };
        }
    }

    public void DeleteRealServer(VirtualServiceId service, RealServerId realServer)
    {
        lock (_gate)
        {
            if (Find(service) is not { } entry)
            {
                _inner.DeleteRealServer(service, realServer);
                return;
            }
            if (!entry.Configuration.RealServers.Any(r => r.Id == realServer)) throw LvsException.RealServerNotFound(service, realServer);
            entry.Configuration = entry.Configuration with { RealServers = entry.Configuration.RealServers.Where(r => r.Id != realServer).ToList() };
        }
    }

    public void SetHealthCheck(VirtualServiceId service, HealthCheckSettings? check, RealServerSettings? sorryServer)
    {
        lock (_gate)
        {
            if (Find(service) is not { } entry)
            {
                Health.SetHealthCheck(service, check, sorryServer);
                return;
            }
            check?.Validate();
            sorryServer?.Validate();
            if (check is null && sorryServer is not null)
            {
                throw LvsException.InvalidArgument("SorryServerNeedsCheck", $"A sorry server for '{service}' needs a health check to tell when every real server is down.", sorryServer.Id);
            }
            entry.Configuration = entry.Configuration with { HealthCheck = check, SorryServer = sorryServer };
        }
    }

    public void ZeroStats(VirtualServiceId? service)
    {
        lock (_gate)
        {
            if (service is { } id && Find(id) is not null) return; // a waiting service has no counters
            _inner.ZeroStats(service);
        }
    }

    public void SetTimeouts(LvsTimeouts timeouts) => _inner.SetTimeouts(timeouts);

    public void StartSyncDaemon(SyncDaemon daemon) => _inner.StartSyncDaemon(daemon);

    public void StopSyncDaemon(SyncDaemonRole role) => _inner.StopSyncDaemon(role);

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _timer.Dispose();
        _inner.Dispose();
    }
}
