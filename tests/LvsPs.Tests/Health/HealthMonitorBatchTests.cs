using System.Net;
using LvsPs.Engine;
using LvsPs.Health;
using LvsPs.Model;
using LvsPs.Model.Health;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Health;

/// <summary>
/// The health monitor passes the director's batches through (IDirectorBatch, what the kernel backend does with a set
/// of additions: one socket, all or nothing), as it passes its other capabilities, and keeps its checks' bookkeeping
/// for what a batch adds. Underneath is a director that takes batches (the managed engine with a batch recorder), so
/// the tests need no kernel.
/// </summary>
public sealed class HealthMonitorBatchTests : IDisposable
{
    private readonly BatchingDirector _underneath = new();
    private readonly HealthMonitor _monitor;
    private readonly string _vip = TestAddresses.NewVip();

    public HealthMonitorBatchTests() => _monitor = new HealthMonitor(_underneath);

    public void Dispose() => _monitor.Dispose();

    private VirtualServiceId NewId() => VirtualServiceId.Parse($"tcp/{_vip}:{TestAddresses.NewPort()}");

    private static RealServerSettings Server(int port) => new() { Id = RealServerId.Create(IPAddress.Loopback, (ushort)port) };

    private static HealthCheckSettings Check() =>
        new() { Type = HealthCheckType.Tcp, IntervalSeconds = 3600, TimeoutSeconds = 2, Retries = 2, Rise = 1 };

    /// <summary>A service with real server :9001 and a check with sorry server :9100, made through the monitor one call at a time.</summary>
    private VirtualServiceId CheckedService()
    {
        var id = NewId();
        _monitor.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        _monitor.AddRealServer(id, Server(9001));
        _monitor.SetHealthCheck(id, Check(), Server(9100));
        return id;
    }

    [Fact]
    public void A_set_of_additions_reaches_the_director_underneath_as_one_batch()
    {
        var id = NewId();
        var changes = new DirectorChange[]
        {
            new DirectorChange.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" }),
            new DirectorChange.AddRealServer(id, Server(9001)),
            new DirectorChange.AddRealServer(id, Server(9002)),
        };
        int reported = 0;
        DirectorChange.ApplyAll(_monitor, changes, n => reported = n);

        Assert.Equal(changes, Assert.Single(_underneath.Batches));
        Assert.Equal(3, reported);
        Assert.Equal(new[] { 9001, 9002 }, _monitor.GetService(id)!.RealServers.Select(r => (int)r.Port).Order());
    }

    [Fact]
    public void A_real_server_a_batch_adds_to_a_checked_service_is_checked_like_one_added_alone()
    {
        var id = CheckedService();

        DirectorChange.ApplyAll(_monitor, new DirectorChange[] { new DirectorChange.AddRealServer(id, Server(9002)) });

        Assert.Single(_underneath.Batches);
        Assert.Contains(_monitor.GetHealth(), h => h.RealServer.EndsWith(":9002", StringComparison.Ordinal) && !h.SorryServer);
        // the checked service's configuration has it, as the monitor remembers it (its configured settings)
        Assert.Contains(_monitor.CaptureDesired().Services.Single(s => s.Settings.Id == id).RealServers, r => r.Id.Port == 9002);
    }

    [Fact]
    public void A_batch_that_would_add_the_sorry_server_or_a_known_real_server_is_refused_before_anything_is_applied()
    {
        var id = CheckedService();
        var other = NewId();

        var sorry = Assert.Throws<LvsException>(() => DirectorChange.ApplyAll(_monitor, new DirectorChange[]
        {
            new DirectorChange.AddService(new VirtualServiceSettings { Id = other, Scheduler = "rr" }),
            new DirectorChange.AddRealServer(id, Server(9100)),
        }));
        Assert.Equal("SorryServerIsRealServer", sorry.ErrorId);
        var twice = Assert.Throws<LvsException>(() => DirectorChange.ApplyAll(_monitor, new DirectorChange[]
        {
            new DirectorChange.AddRealServer(id, Server(9003)),
            new DirectorChange.AddRealServer(id, Server(9003)),
        }));
        Assert.Equal("RealServerExists", twice.ErrorId);

        Assert.Empty(_underneath.Batches);
        Assert.Null(_monitor.GetService(other));
        Assert.Equal(new[] { 9001 }, _monitor.GetService(id)!.RealServers.Select(r => (int)r.Port));
    }

    [Fact]
    public void Over_a_director_without_batches_a_set_is_applied_one_change_at_a_time_as_before()
    {
        using var monitor = new HealthMonitor(new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false }));
        var id = NewId();
        var progress = new List<int>();
        DirectorChange.ApplyAll(monitor, new DirectorChange[]
        {
            new DirectorChange.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" }),
            new DirectorChange.AddRealServer(id, Server(9001)),
        }, progress.Add);
        Assert.Equal(new[] { 1, 2 }, progress); // progress after each change: nothing batched
        Assert.Single(monitor.GetService(id)!.RealServers);
    }

    /// <summary>The managed engine, taking batches as the kernel backend does: it records each and applies it all or nothing.</summary>
    private sealed class BatchingDirector : IDirectorBackend, IDirectorBatch
    {
        private readonly ManagedDirector _inner = new(new ManagedDirectorOptions { RunEstimator = false });

        public List<IReadOnlyList<DirectorChange>> Batches { get; } = new();

        public void Apply(IReadOnlyList<DirectorChange> changes)
        {
            Batches.Add(changes);
            DirectorChange.ApplyAll(_inner, changes);
        }

        public DirectorInfo GetInfo() => _inner.GetInfo();
        public IReadOnlyList<VirtualService> GetServices() => _inner.GetServices();
        public VirtualService? GetService(VirtualServiceId id) => _inner.GetService(id);
        public void AddService(VirtualServiceSettings settings) => _inner.AddService(settings);
        public void EditService(VirtualServiceSettings settings) => _inner.EditService(settings);
        public void DeleteService(VirtualServiceId id) => _inner.DeleteService(id);
        public void Flush() => _inner.Flush();
        public void AddRealServer(VirtualServiceId service, RealServerSettings settings) => _inner.AddRealServer(service, settings);
        public void EditRealServer(VirtualServiceId service, RealServerSettings settings) => _inner.EditRealServer(service, settings);
        public void DeleteRealServer(VirtualServiceId service, RealServerId realServer) => _inner.DeleteRealServer(service, realServer);
        public void ZeroStats(VirtualServiceId? service) => _inner.ZeroStats(service);
        public LvsTimeouts GetTimeouts() => _inner.GetTimeouts();
        public void SetTimeouts(LvsTimeouts timeouts) => _inner.SetTimeouts(timeouts);
        public IReadOnlyList<LvsConnection> GetConnections() => _inner.GetConnections();
        public IReadOnlyList<SyncDaemon> GetSyncDaemons() => _inner.GetSyncDaemons();
        public void StartSyncDaemon(SyncDaemon daemon) => _inner.StartSyncDaemon(daemon);
        public void StopSyncDaemon(SyncDaemonRole role) => _inner.StopSyncDaemon(role);
        public void Dispose() => _inner.Dispose();
    }
}
