using System.Net.Sockets;
using LvsPs.Engine.Connections;
using LvsPs.Engine.Helpers;
using LvsPs.Engine.Stats;
using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Preview;

namespace LvsPs.Engine;

/// <summary>
/// The managed director: an in-process IPVS look-alike that forwards real TCP and UDP traffic by proxying
/// (masquerading), with IPVS's schedulers, connection counters, timeouts and rate estimator. It needs no root and no
/// kernel module. Every change is validated and its sockets bound before it becomes visible, so a failed call leaves
/// the director as it was.
/// </summary>
public sealed class ManagedDirector : IDirectorBackend, ISchedulingPreview
{
    /// <summary>The IPVS version whose behaviour the managed engine follows.</summary>
    public const string IpvsVersion = "1.2.1";

    private readonly object _gate = new();
    private readonly HashSet<VirtualServiceId> _inheritedTaken = new();
    private bool _holdingHandedOver; // set while handed-over listeners wait for AcceptHandedOver
    private readonly Dictionary<VirtualServiceId, ManagedService> _services = new();
    private readonly EngineContext _context;
    private readonly ConnectionTable _table;

    /// <summary>The connection table (tests sweep it with a clock of their own).</summary>
    internal ConnectionTable Connections => _table;

    /// <summary>The director's engine: its loops, table and helpers (tests check the loops end with the director).</summary>
    internal EngineContext Engine => _context;
    private readonly RateEstimator _estimator;
    private readonly ManagedDirectorOptions _options;
    private volatile LvsTimeouts _timeouts = new();
    private bool _disposed;

    public ManagedDirector(ManagedDirectorOptions? options = null)
    {
        _options = options ?? new ManagedDirectorOptions();
        _holdingHandedOver = _options.InheritedListeners is { Count: > 0 };
        _context = new EngineContext(_options, () => _timeouts, ApplicationHelperRegistry.Standard());
        _table = _context.Table;
        _estimator = _context.Estimator;
        StartTime = DateTimeOffset.Now;
    }


    /// <summary>How plain TCP connections are relayed: "sockmap", "splice" or "async" (<see cref="Tcp.RelayPathChoice"/>).</summary>
    public string RelayPath => _context.RelayPath;

    /// <summary>Why: what the fast path is, or why it is off.</summary>
    public string RelayPathReason => _context.RelayPathReason;

    /// <summary>The fast path, when it is on (tests look into it).</summary>
    internal Bpf.SockmapFastPath? FastPathForTests => _context.FastPath;

    public DateTimeOffset StartTime { get; }

    /// <summary>Runs one estimator step now (what the 2-second timer does).</summary>
    public void TickEstimator() => _estimator.Tick();

    public DirectorInfo GetInfo()
    {
        lock (_gate)
        {
            return new DirectorInfo
            {
                Kind = DirectorKind.Managed,
                Target = "in-session",
                Version = IpvsVersion,
                ConnectionTableSize = 0,
                Running = !_disposed,
                StartTime = StartTime,
                VirtualServiceCount = _services.Count,
                RealServerCount = _services.Values.Sum(s => s.DestinationCount),
                ConnectionCount = _table.Count,
                Schedulers = SchedulerRegistry.All.Select(d => d.Name).ToArray(),
                RelayPath = RelayPath,
                RelayPathReason = RelayPathReason,
            };
        }
    }

    /// <summary>
    /// Bytes the fast path moved are counted by its verdict program, in the kernel: before counters or idle times are
    /// listed, they are folded in (one map lookup per socket), so a listing is as current as on the splice path.
    /// </summary>
    private void CatchUpFastPath()
    {
        if (_context.FastPath is { Linked: > 0 }) _table.CatchUpAll();
    }

    public IReadOnlyList<VirtualService> GetServices()
    {
        CatchUpFastPath();
        lock (_gate)
        {
            ThrowIfDisposed();
            return _services.Values.Select(s => s.ToModel()).ToList();
        }
    }

    public VirtualService? GetService(VirtualServiceId id)
    {
        CatchUpFastPath();
        lock (_gate)
        {
            ThrowIfDisposed();
            return _services.TryGetValue(id, out var s) ? s.ToModel() : null;
        }
    }

    /// <summary>
    /// Previews on copies of a service's live scheduling state (<see cref="CloneScheduling"/>); null when there is no
    /// such service or group.
    /// </summary>
    public SchedulingPreviewResult? PreviewScheduling(SchedulingPreviewRequest request)
    {
        request.Validate();
        var id = request.Settings.Id;
        if (CloneScheduling(id, request.Group) is not { } first) return null;
        var next = first;
        return SchedulingSimulation.Run(request, () =>
        {
            // the first copy is taken above; each later decision copies the live state again
            var clone = Interlocked.Exchange(ref next, null) ?? CloneScheduling(id, request.Group)
                ?? throw LvsException.ServiceNotFound(id); // deleted while previewing
            return SchedulingSimulation.FromLive(clone, request.Settings);
        });
    }

    /// <summary>
    /// A copy of a service's scheduling state (destinations with their counters, scheduler state and persistence
    /// templates) to simulate on without changing the service; null when there is no such service.
    /// </summary>
    private LvsPs.Scheduling.Persistence.ServiceScheduler? CloneScheduling(VirtualServiceId id, string? group = null)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return _services.TryGetValue(id, out var s) ? s.Group(group)?.Scheduling.Clone() : null;
        }
    }

    /// <summary>Connections of a service still in their preface (tests wait for it; nothing else needs it).</summary>
    internal int PendingPrefaces(VirtualServiceId id)
    {
        lock (_gate) return _services.TryGetValue(id, out var s) ? Volatile.Read(ref s.PendingPrefaces) : 0;
    }

    public void AddService(VirtualServiceSettings settings)
    {
        settings.Validate();
        RequireSupported(settings);
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_services.ContainsKey(settings.Id)) throw LvsException.ServiceExists(settings.Id);
            var inherited = TakeInherited(settings.Id);
            var service = new ManagedService(settings, _context) { InheritedListener = inherited, HoldAccepting = inherited is not null && _holdingHandedOver };
            service.Start(); // binds the VIP; throws with nothing registered when it cannot
            _services.Add(settings.Id, service);
            _estimator.Register(service.Stats);
        }
    }

    public void EditService(VirtualServiceSettings settings)
    {
        settings.Validate();
        RequireSupported(settings);
        lock (_gate)
        {
            ThrowIfDisposed();
            Find(settings.Id).Apply(settings);
        }
    }

    public void DeleteService(VirtualServiceId id)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            var service = Find(id);
            _services.Remove(id);
            Retire(service);
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            foreach (var service in _services.Values) Retire(service);
            _services.Clear();
        }
    }

    /// <summary>
    /// Stops a deleted service's sockets. Its established connections go on until they end or expire, as the kernel
    /// keeps a deleted service's connections.
    /// </summary>
    private void Retire(ManagedService service)
    {
        service.Dispose();
        _estimator.Unregister(service.Stats);
        foreach (var d in service.AllDestinations) _estimator.Unregister(RealServerRuntime.Of(d).Stats);
    }

    public void AddRealServer(VirtualServiceId service, RealServerSettings settings)
    {
        settings.Validate();
        RequireSupported(settings);
        lock (_gate)
        {
            ThrowIfDisposed();
            var svc = Find(service);
            if (svc.FindDestination(settings.Id) is not null) throw LvsException.RealServerExists(service, settings.Id);
            if (settings.Id.AddressFamily != service.AddressFamily)
            {
                throw LvsException.InvalidArgument("RealServerFamilyMismatch",
                    $"Real server '{settings.Id}' is {Family(settings.Id.AddressFamily)} but virtual service '{service}' is {Family(service.AddressFamily)}; the managed engine needs both in one family.", settings.Id);
            }
            svc.AddDestination(settings, runtime => _estimator.Register(runtime.Stats));
        }
    }

    public void EditRealServer(VirtualServiceId service, RealServerSettings settings)
    {
        settings.Validate();
        RequireSupported(settings);
        lock (_gate)
        {
            ThrowIfDisposed();
            var svc = Find(service);
            var d = svc.FindDestination(settings.Id) ?? throw LvsException.RealServerNotFound(service, settings.Id);
            if (svc.UpdateDestination(d, settings, runtime => _estimator.Register(runtime.Stats)) is not null)
            {
                _estimator.Unregister(RealServerRuntime.Of(d).Stats); // moved to another group: a new entry took its place
            }
        }
    }

    public void DeleteRealServer(VirtualServiceId service, RealServerId realServer)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            var svc = Find(service);
            var d = svc.FindDestination(realServer) ?? throw LvsException.RealServerNotFound(service, realServer);
            svc.RemoveDestination(d); // its connections keep their reference and finish
            _estimator.Unregister(RealServerRuntime.Of(d).Stats);
        }
    }

    public void ZeroStats(VirtualServiceId? service)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            IEnumerable<ManagedService> targets = service is null ? _services.Values : new[] { Find(service) };
            foreach (var s in targets)
            {
                s.Stats.Zero();
                foreach (var d in s.AllDestinations) RealServerRuntime.Of(d).Stats.Zero();
            }
        }
    }

    public LvsTimeouts GetTimeouts() => _timeouts;

    public void SetTimeouts(LvsTimeouts timeouts)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        lock (_gate)
        {
            ThrowIfDisposed();
            _timeouts = _timeouts.Merge(timeouts);
        }
        _table.RescheduleAll();
    }

    public IReadOnlyList<LvsConnection> GetConnections()
    {
        CatchUpFastPath();
        ThrowIfDisposed();
        var connections = _table.Snapshot().ToList();
        lock (_gate)
        {
            foreach (var service in _services.Values) connections.AddRange(service.TemplateConnections());
        }
        return connections;
    }

    public IReadOnlyList<SyncDaemon> GetSyncDaemons() => Array.Empty<SyncDaemon>();

    public void StartSyncDaemon(SyncDaemon daemon) => throw SyncNeedsKernel();

    public void StopSyncDaemon(SyncDaemonRole role) => throw SyncNeedsKernel();

    private static LvsException SyncNeedsKernel() => LvsException.NotSupported("SyncDaemonNeedsKernel",
        "The connection synchronisation daemon is part of kernel IPVS; the managed director has none. Connect to the kernel backend (Connect-LvsDirector -Kernel) to use it.");

    private ManagedService Find(VirtualServiceId id) =>
        _services.TryGetValue(id, out var s) ? s : throw LvsException.ServiceNotFound(id);

    private static void RequireSupported(VirtualServiceSettings settings)
    {
        var id = settings.Id;
        if (id.IsFirewallMark)
        {
            throw LvsException.NotSupported("FirewallMarkNeedsKernel",
                $"Virtual service '{id}' is a firewall-mark service; matching packets by mark needs the kernel backend (Connect-LvsDirector -Kernel). The managed director serves tcp/ and udp/ services.", id);
        }
        if (id.Protocol == LvsProtocol.Sctp)
        {
            throw LvsException.NotSupported("SctpNeedsKernel",
                $"Virtual service '{id}' is SCTP, which the managed director does not forward; use the kernel backend (Connect-LvsDirector -Kernel).", id);
        }
        if (id.Port == 0)
        {
            throw LvsException.NotSupported("AllPortsNeedsKernel",
                $"Virtual service '{id}' has port 0 (all ports), which needs the kernel backend; the managed director listens on one port per service.", id);
        }
        if (!SchedulerRegistry.IsKnown(settings.Scheduler)) throw SchedulerRegistry.UnknownScheduler(settings.Scheduler);
    }

    private static void RequireSupported(RealServerSettings settings)
    {
        if (settings.Forwarding != ForwardingMethod.Masquerade)
        {
            throw LvsException.NotSupported("ForwardingNeedsKernel",
                $"Forwarding method '{settings.Forwarding}' for real server '{settings.Id}' needs the kernel backend (Connect-LvsDirector -Kernel); the managed director forwards by masquerading (NAT) only.", settings.Forwarding);
        }
        if (settings.Id.Port == 0)
        {
            throw LvsException.InvalidArgument("InvalidRealServerPort", $"Real server '{settings.Id}' has port 0; the managed director needs the port to connect to (1..65535).", settings.Id);
        }
    }

    private static string Family(AddressFamily f) => f == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    private void ThrowIfDisposed()
    {
        if (_disposed) throw new LvsException(LvsErrorKind.Unavailable, "DirectorStopped", "The managed director has been stopped.");
    }

    /// <summary>Stops every listener, resets every connection and releases every socket.</summary>
    /// <summary>
    /// Starts accepting on every listener handed over by the previous process (<see cref="ManagedDirectorOptions.InheritedListeners"/>).
    /// Until then they are adopted but not accepted on: the old process still serves their queue, and this one takes
    /// clients only once its configuration is restored (a client taken between a service and its real servers would be
    /// reset). A listener handed over and adopted after this call accepts at once.
    /// </summary>
    public void AcceptHandedOver()
    {
        List<ManagedService> services;
        lock (_gate)
        {
            _holdingHandedOver = false;
            services = _services.Values.ToList();
        }
        foreach (var service in services) service.StartAccepting();
    }

    private SafeSocketHandle? TakeInherited(VirtualServiceId id)
    {
        if (_options.InheritedListeners is null || !_options.InheritedListeners.TryGetValue(id, out var handle)) return null;
        return _inheritedTaken.Add(id) ? handle : null;
    }

    /// <summary>The sockets clients arrive on (TCP listeners, UDP virtual addresses), for a hand-over to a new process
    /// (SCTP services, which the managed engine does not run, have none).</summary>
    public IReadOnlyList<(VirtualServiceId Service, Socket Listener)> HandOverListeners()
    {
        lock (_gate) return _services.Where(s => s.Key.Protocol is LvsProtocol.Tcp or LvsProtocol.Udp).Select(s => (s.Key, s.Value.Listener)).ToList();
    }

    /// <summary>
    /// After a hand-over: stops taking clients on every service (the new process does now; a UDP socket stays open for
    /// the replies of this process's flows, which end after a short grace), and lets established connections finish
    /// (<see cref="OpenConnections"/>).
    /// </summary>
    public void ReleaseListeners()
    {
        lock (_gate)
        {
            foreach (var service in _services.Values) service.Release();
        }
    }

    /// <summary>Accepts once what waits in every TCP listener's queue (the new process of a restart, when the old one has stopped accepting).</summary>
    public void AcceptPending()
    {
        List<ManagedService> services;
        lock (_gate) services = _services.Values.ToList();
        foreach (var service in services) service.AcceptPending();
    }

    /// <summary>Connections still being relayed (a restarting service waits for them before it exits).</summary>
    public int OpenConnections
    {
        get
        {
            // accepted connections still reading their preface are not in the table yet
            lock (_gate) return _table.OpenCount + _services.Values.Sum(s => Volatile.Read(ref s.PendingPrefaces));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var service in _services.Values) service.Dispose();
            _services.Clear();
        }
        _context.Dispose(); // the estimator, every connection, the fast path, then the event loops
    }
}
